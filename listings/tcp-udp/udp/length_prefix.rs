// Framing: to carry messages over a byte stream, the writer puts a 4-byte
// big-endian length in front of each one, and the reader reads exactly that
// many bytes back. Message boundaries survive, whatever the reads return.

use std::io::{Error, ErrorKind};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::timeout;

const WAIT: Duration = Duration::from_secs(5);
/// A reader must not trust a length from the network: cap it.
const MAX_FRAME: u32 = 1 << 20;

// ANCHOR: framing
async fn write_frame(out: &mut (impl AsyncWrite + Unpin), message: &[u8]) -> std::io::Result<()> {
    let len = u32::try_from(message.len())
        .ok()
        .filter(|&len| len <= MAX_FRAME)
        .ok_or_else(|| Error::new(ErrorKind::InvalidInput, "message too large"))?;
    out.write_all(&len.to_be_bytes()).await?;
    out.write_all(message).await
}

/// `Ok(None)` at a clean end of stream (no partial frame).
async fn read_frame(input: &mut (impl AsyncRead + Unpin)) -> std::io::Result<Option<Vec<u8>>> {
    let mut prefix = [0u8; 4];
    match input.read_exact(&mut prefix).await {
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u32::from_be_bytes(prefix);
    if len > MAX_FRAME {
        return Err(Error::new(
            ErrorKind::InvalidData,
            format!("frame of {len} bytes"),
        ));
    }
    let mut message = vec![0u8; len as usize];
    input.read_exact(&mut message).await?; // a frame cut short is an error
    Ok(Some(message))
}
// ANCHOR_END: framing

// ANCHOR: main
#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let mut writer = TcpStream::connect(listener.local_addr()?).await?;
    let (mut reader, _) = timeout(WAIT, listener.accept()).await??;

    let messages: [&[u8]; 3] = [b"hi", &[b'x'; 1200], b"three messages of three sizes"];
    for message in messages {
        write_frame(&mut writer, message).await?;
        println!(
            "writer: framed {:>4} bytes as {:>4}",
            message.len(),
            message.len() + 4
        );
    }
    writer.shutdown().await?;

    let mut received = Vec::new();
    for _ in 0..=messages.len() {
        match timeout(WAIT, read_frame(&mut reader)).await?? {
            Some(message) => {
                println!("reader: one frame of {:>4} bytes", message.len());
                received.push(message);
            }
            None => {
                println!("reader: end of stream after {} frames", received.len());
                break;
            }
        }
    }
    assert_eq!(received, messages, "the same messages, the same boundaries");
    Ok(())
}
// ANCHOR_END: main

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_frame_survives_being_split_into_one_byte_reads() {
        let mut wire = Vec::new();
        write_frame(&mut wire, b"abc").await.unwrap();
        write_frame(&mut wire, b"").await.unwrap();
        let mut slow = one_byte::OneByteAtATime(&wire[..]);
        assert_eq!(read_frame(&mut slow).await.unwrap(), Some(b"abc".to_vec()));
        assert_eq!(read_frame(&mut slow).await.unwrap(), Some(Vec::new()));
        assert_eq!(read_frame(&mut slow).await.unwrap(), None);
    }

    #[tokio::test]
    async fn hostile_lengths_are_errors() {
        let huge = (MAX_FRAME + 1).to_be_bytes();
        let err = read_frame(&mut &huge[..]).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidData);
        let cut_short = [0, 0, 0, 5, b'a'];
        let err = read_frame(&mut &cut_short[..]).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnexpectedEof);
    }

    mod one_byte {
        use std::pin::Pin;
        use std::task::{Context, Poll};

        use tokio::io::{AsyncRead, ReadBuf};

        /// A reader that hands out one byte per read, like a very slow network.
        pub struct OneByteAtATime<'a>(pub &'a [u8]);

        impl AsyncRead for OneByteAtATime<'_> {
            fn poll_read(
                mut self: Pin<&mut Self>,
                _cx: &mut Context<'_>,
                buf: &mut ReadBuf<'_>,
            ) -> Poll<std::io::Result<()>> {
                if let Some((&first, rest)) = self.0.split_first()
                    && buf.remaining() > 0
                {
                    buf.put_slice(&[first]);
                    self.0 = rest;
                }
                Poll::Ready(Ok(()))
            }
        }
    }
}
