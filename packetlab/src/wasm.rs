//! The WebAssembly module's exports: plain C-ABI functions, no
//! wasm-bindgen. JavaScript asks for an input buffer, writes the UTF-8 of an
//! experiment's URL fragment into it, calls [`lab_run`], then reads each
//! output by its pointer and length. Every buffer is a `Vec<u8>` owned by
//! this module; Rust code never dereferences a raw pointer, it only hands
//! the address of its own buffer to JavaScript.
//!
//! The exports exist on every target (so that clippy and the native tests
//! see them), but only the `wasm32-unknown-unknown` build calls them.

use std::cell::RefCell;

use crate::experiment::{Params, outcome};

/// The outputs of the last run, by number (the same numbers as in
/// `src/assets/lab/lab.js`).
pub const OUTPUTS: [&str; 8] = [
    "fragment", "table", "mermaid", "ladder", "timeline", "pcap", "segments", "error",
];

#[derive(Default)]
struct Buffers {
    input: Vec<u8>,
    outputs: [Vec<u8>; OUTPUTS.len()],
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = RefCell::default();
}

/// Runs the experiment in `input`; fills the outputs. Returns 0 when the
/// run finished, 1 for bad parameters (only `error` is set), 2 when the run
/// stopped early (everything is set, and `error` says why).
pub fn run_input(input: &[u8]) -> ([Vec<u8>; OUTPUTS.len()], u32) {
    let mut out: [Vec<u8>; OUTPUTS.len()] = Default::default();
    let text = String::from_utf8_lossy(input);
    let result = Params::parse(&text).and_then(|p| outcome(&p));
    let o = match result {
        Ok(o) => o,
        Err(e) => {
            out[7] = e.to_string().into_bytes();
            return (out, 1);
        }
    };
    let status = if o.error.is_some() { 2 } else { 0 };
    out = [
        o.fragment.into_bytes(),
        o.table.into_bytes(),
        o.mermaid.into_bytes(),
        o.ladder.into_bytes(),
        o.timeline.into_bytes(),
        o.pcap,
        o.segments.into_bytes(),
        o.error.unwrap_or_default().into_bytes(),
    ];
    (out, status)
}

// SAFETY of the attributes below: `no_mangle` exports each function under its
// own name, which must not clash with another symbol; the `lab_` prefix keeps
// them apart. The functions themselves are safe Rust.

/// Makes the input buffer `len` bytes long and returns its address, for
/// JavaScript to write the fragment into.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn lab_input(len: usize) -> *mut u8 {
    BUFFERS.with_borrow_mut(|b| {
        b.input.clear();
        b.input.resize(len, 0);
        b.input.as_mut_ptr()
    })
}

/// Runs the experiment written into the input buffer (see [`run_input`]).
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn lab_run() -> u32 {
    BUFFERS.with_borrow_mut(|b| {
        let (outputs, status) = run_input(&b.input);
        b.outputs = outputs;
        status
    })
}

/// The address of output `which` (an index into [`OUTPUTS`]), or null.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn lab_output_ptr(which: usize) -> *const u8 {
    BUFFERS.with_borrow(|b| {
        b.outputs
            .get(which)
            .map_or(std::ptr::null(), |v| v.as_ptr())
    })
}

/// The length in bytes of output `which`, or 0.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn lab_output_len(which: usize) -> usize {
    BUFFERS.with_borrow(|b| b.outputs.get(which).map_or(0, Vec::len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_outputs() {
        let (out, status) = run_input(b"scenario=handshake");
        assert_eq!(status, 0);
        assert!(out[7].is_empty());
        assert!(out[1].starts_with(b"#  time (s)"));
        assert_eq!(&out[5][..4], &0xa1b2_c3d4_u32.to_le_bytes());

        let (out, status) = run_input(b"scenario=handshake&latency=0");
        assert_eq!(status, 1);
        assert!(out[1].is_empty());
        assert!(String::from_utf8_lossy(&out[7]).contains("out of range"));

        let (out, status) = run_input(b"scenario=handshake&lose=server");
        assert_eq!(status, 2);
        assert!(!out[1].is_empty());
        assert!(String::from_utf8_lossy(&out[7]).contains("was never acknowledged"));

        // Through the exports, as JavaScript calls them (natively here).
        let text = b"scenario=rst";
        let ptr = lab_input(text.len());
        assert!(!ptr.is_null());
        BUFFERS.with_borrow_mut(|b| b.input.copy_from_slice(text));
        assert_eq!(lab_run(), 0);
        assert_eq!(
            lab_output_len(0),
            b"scenario=rst&lose=&latency=50&client=0&server=0&close=none".len()
        );
        assert_eq!(lab_output_len(99), 0);
        assert!(lab_output_ptr(99).is_null());
    }
}
