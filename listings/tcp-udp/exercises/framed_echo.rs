// Exercise: messages over a byte stream. TCP delivers bytes, not messages
// (RFC 9293 §2.2: a byte-stream service; §3.7: TCP cuts it as it sees fit), so an
// application that sends messages must mark where each one ends. Here each
// frame is a 4-byte big-endian length, then that many bytes.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The largest frame a reader accepts, so a bad length cannot exhaust memory.
pub const MAX_FRAME: usize = 64 * 1024;

// ANCHOR: solution
/// Writes one frame: the length of `payload` as a `u32`, big-endian, then
/// `payload`. Refuses (InvalidInput) a payload over [`MAX_FRAME`].
pub async fn write_frame<W: AsyncWrite + Unpin>(w: &mut W, payload: &[u8]) -> io::Result<()> {
    // ANCHOR: todo
    if payload.len() > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "frame too long",
        ));
    }
    w.write_all(&(payload.len() as u32).to_be_bytes()).await?;
    w.write_all(payload).await?;
    w.flush().await
    // ANCHOR_END: todo
}

/// Reads one frame. `Ok(None)` when the stream ends cleanly between frames;
/// UnexpectedEof when it ends inside one; InvalidData for a length over
/// [`MAX_FRAME`] (without reading the payload).
pub async fn read_frame<R: AsyncRead + Unpin>(r: &mut R) -> io::Result<Option<Vec<u8>>> {
    // ANCHOR: todo
    let mut len = [0u8; 4];
    let mut got = 0;
    while got < len.len() {
        match r.read(&mut len[got..]).await? {
            0 if got == 0 => return Ok(None),
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => got += n,
        }
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_FRAME {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "frame too long"));
    }
    let mut payload = vec![0; len];
    r.read_exact(&mut payload).await?;
    Ok(Some(payload))
    // ANCHOR_END: todo
}
// ANCHOR_END: solution

/// Echoes every frame back on one connection, until the client stops.
pub async fn echo(mut stream: TcpStream) -> io::Result<()> {
    while let Some(frame) = read_frame(&mut stream).await? {
        write_frame(&mut stream, &frame).await?;
    }
    Ok(())
}

/// A server on 127.0.0.1, port 0, serving one connection; returns its port.
pub async fn start_server() -> io::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    tokio::spawn(async move {
        if let Ok((stream, _)) = listener.accept().await {
            let _ = echo(stream).await;
        }
    });
    Ok(port)
}

/// Every test and the demo give up after this long.
pub const LIMIT: Duration = Duration::from_secs(10);

#[tokio::main(flavor = "current_thread")]
async fn main() -> io::Result<()> {
    let port = start_server().await?;
    let mut client = TcpStream::connect(("127.0.0.1", port)).await?;
    for message in [&b"hello"[..], b"", b"two\nlines"] {
        write_frame(&mut client, message).await?;
        let back = tokio::time::timeout(LIMIT, read_frame(&mut client)).await??;
        println!(
            "sent {:?}, got back {:?}",
            String::from_utf8_lossy(message),
            back.map(|b| String::from_utf8_lossy(&b).into_owned())
        );
    }
    Ok(())
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::timeout;

    #[tokio::test]
    async fn frames_round_trip_through_a_real_socket() {
        let port = start_server().await.unwrap();
        let mut client = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        for message in [&b"one"[..], b"", &[0u8; 5000]] {
            write_frame(&mut client, message).await.unwrap();
            let back = timeout(LIMIT, read_frame(&mut client))
                .await
                .unwrap()
                .unwrap();
            assert_eq!(back.as_deref(), Some(message));
        }
    }

    #[tokio::test]
    async fn a_frame_written_a_byte_at_a_time_is_one_frame() {
        let (mut a, mut b) = tokio::io::duplex(1); // one byte per read
        let writer = tokio::spawn(async move { write_frame(&mut a, b"split").await });
        let frame = timeout(LIMIT, read_frame(&mut b)).await.unwrap().unwrap();
        assert_eq!(frame.as_deref(), Some(&b"split"[..]));
        writer.await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn the_wire_format_is_a_big_endian_length() {
        let mut bytes = Vec::new();
        write_frame(&mut bytes, b"abc").await.unwrap();
        assert_eq!(bytes, b"\x00\x00\x00\x03abc");
    }

    #[tokio::test]
    async fn clean_end_and_truncated_frames() {
        assert!(read_frame(&mut &b""[..]).await.unwrap().is_none());
        let cut_in_length = read_frame(&mut &b"\x00\x00"[..]).await.unwrap_err();
        assert_eq!(cut_in_length.kind(), io::ErrorKind::UnexpectedEof);
        let cut_in_payload = read_frame(&mut &b"\x00\x00\x00\x05ab"[..])
            .await
            .unwrap_err();
        assert_eq!(cut_in_payload.kind(), io::ErrorKind::UnexpectedEof);
    }

    #[tokio::test]
    async fn oversized_frames_are_refused() {
        let huge = (MAX_FRAME as u32 + 1).to_be_bytes();
        let err = read_frame(&mut &huge[..]).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        let err = write_frame(&mut Vec::new(), &vec![0; MAX_FRAME + 1])
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }
}
// ANCHOR_END: tests
