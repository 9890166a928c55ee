//! Edited experiments.
