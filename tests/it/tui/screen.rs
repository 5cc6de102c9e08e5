//! A test terminal that can change size while the real event loop runs:
//! a `TestBackend` shared with the test, whose size a script's resize hook
//! sets, and the text of what was last drawn.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use std::cell::{Cell, RefCell};
use std::convert::Infallible;
use std::rc::Rc;

use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell as BufCell;
use ratatui::layout::{Position, Size};

/// The shared side of a [`Screen`]: the size to become, and the backend.
#[derive(Clone)]
pub struct Handle {
    size: Rc<Cell<(u16, u16)>>,
    inner: Rc<RefCell<TestBackend>>,
}

impl Handle {
    /// Asks for a new size (the loop sees it on its next resize input).
    pub fn set_size(&self, w: u16, h: u16) {
        self.size.set((w, h));
    }

    /// The drawn buffer's size.
    pub fn drawn_size(&self) -> (u16, u16) {
        let b = self.inner.borrow();
        let a = b.buffer().area;
        (a.width, a.height)
    }

    /// The drawn screen as text, one line per row (right-trimmed).
    pub fn text(&self) -> String {
        let b = self.inner.borrow();
        let buf = b.buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut line = String::new();
            for x in 0..buf.area.width {
                line.push_str(buf[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// A backend whose size the test changes through a [`Handle`].
pub struct Screen(Handle);

impl Screen {
    /// A `w` x `h` screen and its handle.
    pub fn new(w: u16, h: u16) -> (Screen, Handle) {
        let handle = Handle {
            size: Rc::new(Cell::new((w, h))),
            inner: Rc::new(RefCell::new(TestBackend::new(w, h))),
        };
        (Screen(handle.clone()), handle)
    }

    /// The backend, resized first when a new size was asked for.
    fn backend(&mut self) -> std::cell::RefMut<'_, TestBackend> {
        let (w, h) = self.0.size.get();
        let mut b = self.0.inner.borrow_mut();
        let a = b.buffer().area;
        if (a.width, a.height) != (w, h) {
            b.resize(w, h);
        }
        b
    }
}

impl Backend for Screen {
    type Error = Infallible;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Infallible>
    where
        I: Iterator<Item = (u16, u16, &'a BufCell)>,
    {
        self.backend().draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Infallible> {
        self.backend().hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Infallible> {
        self.backend().show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Infallible> {
        self.backend().get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, p: P) -> Result<(), Infallible> {
        self.backend().set_cursor_position(p)
    }
    fn clear(&mut self) -> Result<(), Infallible> {
        self.backend().clear()
    }
    fn clear_region(&mut self, t: ClearType) -> Result<(), Infallible> {
        self.backend().clear_region(t)
    }
    fn size(&self) -> Result<Size, Infallible> {
        let (width, height) = self.0.size.get();
        Ok(Size { width, height })
    }
    fn window_size(&mut self) -> Result<WindowSize, Infallible> {
        self.backend().window_size()
    }
    fn flush(&mut self) -> Result<(), Infallible> {
        self.backend().flush()
    }
}
