//! Profile: naming templates, legal characters, upload folders, hash set and QC thresholds (owned by the profile/job/naming/plan work).
