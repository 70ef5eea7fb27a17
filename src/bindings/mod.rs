//! The JS boundary (in progress)
