//! Same code, same answers: the lab compiled to WebAssembly, run in Node
//! through the page's own glue (`src/assets/lab/lab.js`), gives byte for byte
//! the table, mermaid text, pcap (and drawings, segment list, errors) of the
//! native lab, on the book's eight scenarios and on edited experiments; and
//! on the eight, the book's committed golden files.
//!
//! The test builds the module itself, with the `wasm` profile, into a target
//! directory of its own (`target/lab-wasm-test/`), so it cannot test a stale
//! module. The page's copy, `src/assets/lab/packetlab.wasm` (git-ignored,
//! written by `cargo xtask wasm`, `build` and `serve`), is checked against
//! this fresh build when it exists: a stale one fails with the command that
//! rebuilds it.

use std::path::{Path, PathBuf};
use std::process::Command;

use packetlab::experiment::{Params, outcome};
use packetlab::scenarios::ALL;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn build_module() -> Vec<u8> {
    let root = workspace();
    let target_dir = root.join("target/lab-wasm-test");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "rustc",
            "-q",
            "-p",
            "packetlab",
            "--lib",
            "--profile",
            "wasm",
            "--target",
            "wasm32-unknown-unknown",
            "--crate-type",
            "cdylib",
            "--target-dir",
        ])
        .arg(&target_dir)
        .current_dir(&root)
        .status()
        .expect("cargo runs");
    assert!(
        status.success(),
        "building the WebAssembly module failed; is the target installed? \
         `rustup target add wasm32-unknown-unknown` (cargo xtask wasm does it)"
    );
    std::fs::read(target_dir.join("wasm32-unknown-unknown/wasm/packetlab.wasm"))
        .expect("the module was built")
}

/// The eight scenarios unchanged, then edits of every kind.
fn fragments() -> Vec<String> {
    let mut list: Vec<String> = ALL.iter().map(|s| format!("scenario={}", s.name)).collect();
    list.extend(
        [
            "scenario=handshake&lose=2",
            "scenario=handshake&lose=2,4&latency=120",
            "scenario=handshake&lose=server",
            "scenario=handshake&client=4096&server=3000&close=server",
            "scenario=data&lose=4,6&latency=7",
            "scenario=close&lose=4&close=both",
            "scenario=lost-data&lose=&latency=500&close=client",
            "scenario=rst&lose=1",
            "scenario=backoff&lose=1,2,3,4,5",
            "scenario=simultaneous-close&latency=1&client=1",
            // Bad ones: the messages must match too.
            "scenario=handshake&latency=0",
            "scenario=handshake&lose=9",
            "scenario=nope",
            "",
        ]
        .map(String::from),
    );
    list
}

fn read(dir: &Path, i: usize, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(format!("{i}.{name}")))
        .unwrap_or_else(|e| panic!("run {i}: no {name} output: {e}"))
}

#[test]
fn the_module_in_node_gives_the_native_answers() {
    let module = build_module();
    let root = workspace();

    let page_copy = root.join("src/assets/lab/packetlab.wasm");
    if let Ok(bytes) = std::fs::read(&page_copy) {
        assert!(
            bytes == module,
            "{} is stale: it was built from other lab source than this. Rebuild it with \
             `cargo xtask wasm` (`cargo xtask build` and `cargo xtask serve` do it too).",
            page_copy.display()
        );
    }
    assert!(
        module.len() <= 200 * 1024,
        "the module is {} bytes, over its budget of 200 KB",
        module.len()
    );

    let dir = std::env::temp_dir().join(format!("packetlab-wasm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let module_path = dir.join("packetlab.wasm");
    std::fs::write(&module_path, &module).unwrap();
    let list = fragments();
    std::fs::write(dir.join("fragments.txt"), list.join("\n") + "\n").unwrap();
    let out = Command::new("node")
        .arg(root.join("packetlab/tests/run_module.cjs"))
        .arg(&module_path)
        .arg(root.join("src/assets/lab/lab.js"))
        .arg(dir.join("fragments.txt"))
        .arg(&dir)
        .output()
        .expect("Node.js (`node`) must be on PATH for this test");
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{}", String::from_utf8_lossy(&out.stdout).trim());

    // The empty fragment is the last line; `lines` in the runner drops it,
    // so it is checked natively only.
    let mut checked = 0;
    for (i, fragment) in list.iter().enumerate().filter(|(_, f)| !f.is_empty()) {
        let status = String::from_utf8(read(&dir, i, "status")).unwrap();
        let native = Params::parse(fragment).and_then(|p| outcome(&p));
        let o = match native {
            Err(e) => {
                assert_eq!(status, "1", "{fragment}");
                assert_eq!(read(&dir, i, "error"), e.to_string().into_bytes());
                checked += 1;
                continue;
            }
            Ok(o) => o,
        };
        let expected_status = if o.error.is_some() { "2" } else { "0" };
        assert_eq!(status, expected_status, "{fragment}");
        for (name, native) in [
            ("fragment", o.fragment.as_bytes()),
            ("table", o.table.as_bytes()),
            ("mermaid", o.mermaid.as_bytes()),
            ("ladder", o.ladder.as_bytes()),
            ("timeline", o.timeline.as_bytes()),
            ("segments", o.segments.as_bytes()),
            ("error", o.error.as_deref().unwrap_or("").as_bytes()),
            ("pcap", &o.pcap[..]),
        ] {
            assert!(
                read(&dir, i, name) == native,
                "{fragment}: the module's {name} differs from the native lab's"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, list.len() - 1);

    // On the eight unchanged scenarios, the module's output is the book's.
    let generated = root.join("listings/tcp-udp/packet-lab/generated");
    for (i, s) in ALL.iter().enumerate() {
        for (ext, name) in [("txt", "table"), ("mmd", "mermaid"), ("pcap", "pcap")] {
            let golden = std::fs::read(generated.join(format!("{}.{ext}", s.name))).unwrap();
            assert!(
                read(&dir, i, name) == golden,
                "{}: the module's {name} differs from the committed {}.{ext}",
                s.name,
                s.name
            );
        }
    }
    // And the comparison can fail: another experiment's table is another table.
    assert_ne!(read(&dir, 0, "table"), read(&dir, 9, "table"));
    let _ = std::fs::remove_dir_all(&dir);
}
