//! Plan: Job + probed sources -> upload folders, names, versions and dates of every deliverable.
