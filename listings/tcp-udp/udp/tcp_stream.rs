// The same three messages over TCP: the writer makes three writes, but the
// reader sees one byte stream. How many bytes a read returns depends on what
// has arrived and on the reader's buffer, never on the writer's calls.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::timeout;

const WAIT: Duration = Duration::from_secs(5);

// ANCHOR: main
#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let mut writer = TcpStream::connect(listener.local_addr()?).await?;
    let (mut reader, _) = timeout(WAIT, listener.accept()).await??;

    let messages: [&[u8]; 3] = [b"hi", &[b'x'; 1200], b"three messages of three sizes"];
    let total: usize = messages.iter().map(|m| m.len()).sum();
    for message in messages {
        writer.write_all(message).await?;
        println!("writer: wrote {:>4} bytes", message.len());
    }
    writer.shutdown().await?; // FIN: the writer is done

    // Wait (bounded) until every byte is in the reader's receive buffer, so
    // that the reads below do not depend on timing.
    wait_until_buffered(&reader, total).await?;

    // Read with a 512-byte buffer until the end of the stream.
    let mut buf = [0u8; 512];
    let mut stream = Vec::new();
    for _ in 0..100 {
        let n = timeout(WAIT, reader.read(&mut buf)).await??;
        if n == 0 {
            println!("reader: read returned 0: end of stream");
            break;
        }
        println!("reader: read returned {n:>4} bytes");
        stream.extend_from_slice(&buf[..n]);
    }
    assert_eq!(stream, messages.concat(), "every byte arrives, in order");
    let seam = messages[0].len();
    println!(
        "bytes {}..{} of the stream: {:?} (the first message runs into the second)",
        seam - 2,
        seam + 2,
        String::from_utf8_lossy(&stream[seam - 2..seam + 2])
    );
    Ok(())
}
// ANCHOR_END: main

/// Polls with `peek` (which leaves the bytes in place) until `total` bytes are
/// buffered; at most 500 polls of 10 ms.
async fn wait_until_buffered(stream: &TcpStream, total: usize) -> std::io::Result<()> {
    let mut probe = vec![0u8; total + 1];
    for _ in 0..500 {
        let buffered = timeout(WAIT, stream.peek(&mut probe)).await??;
        if buffered >= total {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::TimedOut,
        "the bytes did not arrive",
    ))
}
