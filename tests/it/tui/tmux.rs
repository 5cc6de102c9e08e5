//! The real binary in a real terminal (tmux): wait for screen text by
//! polling `capture-pane` with a deadline, then check the delivery on disk.
