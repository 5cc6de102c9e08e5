//! Conform rules (spec B5) on a realistic corpus: mix sessions generated
//! here (espeak-ng dialogue, synthesised music and effects; the PM is the
//! M&E plus the VOX plus the dialogue, sample for sample), clean or with
//! one defect each, checked through the built binary (`rules.rs` by `check`, `pack.rs` by
//! `pack`, `sets.rs` with the M&E and the PM as mono sets that ffmpeg
//! split), or through the library (`unread.rs`: a movie cut short after it
//! was probed). `corpus.rs` proves the generator itself.

mod corpus;
mod demo;
mod findings;
mod pack;
mod rules;
mod session;
mod sets;
mod speech;
mod synth;
mod unread;
