//! Job: the YAML job file (title, unit, frame rate, sources by role) and its validation.
