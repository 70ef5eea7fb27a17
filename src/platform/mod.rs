//! Browser platform layer (in progress)
