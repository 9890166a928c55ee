// A UDP echo on 127.0.0.1: three messages of different sizes go out as three
// datagrams and come back as three datagrams of the same sizes. The message
// boundaries are part of what UDP delivers.

use std::time::Duration;

use tokio::net::UdpSocket;
use tokio::time::timeout;

const WAIT: Duration = Duration::from_secs(5);

// ANCHOR: echo
/// Echoes `count` datagrams back to whoever sent them; returns their sizes.
async fn echo_server(socket: UdpSocket, count: usize) -> std::io::Result<Vec<usize>> {
    let mut buf = vec![0u8; 65_535]; // larger than any UDP payload over IPv4
    let mut sizes = Vec::new();
    for _ in 0..count {
        let (len, peer) = timeout(WAIT, socket.recv_from(&mut buf)).await??;
        sizes.push(len);
        socket.send_to(&buf[..len], peer).await?;
    }
    Ok(sizes)
}
// ANCHOR_END: echo

// ANCHOR: main
#[tokio::main]
async fn main() -> std::io::Result<()> {
    let server = UdpSocket::bind("127.0.0.1:0").await?;
    let server_addr = server.local_addr()?;
    let messages: [&[u8]; 3] = [b"hi", &[b'x'; 1200], b"three messages of three sizes"];
    let echo = tokio::spawn(echo_server(server, messages.len()));

    // No handshake: the client just binds and sends.
    let client = UdpSocket::bind("127.0.0.1:0").await?;
    for message in messages {
        let sent = client.send_to(message, server_addr).await?;
        println!("client: sent {sent:>4} bytes");
    }

    let mut buf = vec![0u8; 65_535];
    for message in messages {
        // One recv returns exactly one datagram, however large the buffer.
        let (len, _) = timeout(WAIT, client.recv_from(&mut buf)).await??;
        assert_eq!(&buf[..len], message, "the echo is the same datagram");
        println!("client: one recv returned {len:>4} bytes");
    }
    let seen = echo.await.expect("the echo task does not panic")?;
    println!("server: received datagrams of {seen:?} bytes");
    Ok(())
}
// ANCHOR_END: main
