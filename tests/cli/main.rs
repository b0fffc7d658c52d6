//! End-to-end tests of the `nexo` command line (one test binary for the package).

mod bad_input;
mod bi;
mod common;
mod communities;
mod evidence;
mod inputs;
mod measures;
mod pseudonyms;
mod report;
mod sample;
mod synthetic;
