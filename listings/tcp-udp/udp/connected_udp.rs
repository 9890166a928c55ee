// What `connect()` means on a UDP socket: no packet is sent. The kernel only
// records a default peer, then filters incoming datagrams by it and reports
// ICMP errors from it.

use std::io::ErrorKind;
use std::time::Duration;

use tokio::net::UdpSocket;
use tokio::time::timeout;

const WAIT: Duration = Duration::from_secs(5);
const QUIET: Duration = Duration::from_millis(200);

// ANCHOR: main
#[tokio::main]
async fn main() -> std::io::Result<()> {
    let a = UdpSocket::bind("127.0.0.1:0").await?;
    let b = UdpSocket::bind("127.0.0.1:0").await?;
    let stranger = UdpSocket::bind("127.0.0.1:0").await?;

    // 1. connect() sends nothing; it sets the default destination of send().
    a.connect(b.local_addr()?).await?;
    a.send(b"to b").await?;
    let mut buf = [0u8; 64];
    let (len, from) = timeout(WAIT, b.recv_from(&mut buf)).await??;
    let from_a = from == a.local_addr()?;
    println!(
        "b got {:?} from a: {from_a}",
        String::from_utf8_lossy(&buf[..len])
    );

    // 2. A connected socket accepts datagrams from its peer only.
    stranger
        .send_to(b"from a stranger", a.local_addr()?)
        .await?;
    b.send_to(b"from b", a.local_addr()?).await?;
    let len = timeout(WAIT, a.recv(&mut buf)).await??;
    println!("a got {:?}", String::from_utf8_lossy(&buf[..len]));
    match timeout(QUIET, a.recv(&mut buf)).await {
        Err(_) => {
            println!("a got nothing else within {QUIET:?}: the stranger's datagram was dropped")
        }
        Ok(other) => println!("unexpected: {other:?}"),
    }

    // 3. Sending to a port where nobody listens succeeds: there is no handshake
    //    to fail. The ICMP "port unreachable" that comes back is reported on
    //    the next call, and only because the socket is connected.
    let closed_port = UdpSocket::bind("127.0.0.1:0").await?.local_addr()?; // bound, then dropped
    let c = UdpSocket::bind("127.0.0.1:0").await?;
    c.connect(closed_port).await?;
    let sent = c.send(b"anyone?").await?;
    println!("c sent {sent} bytes to a closed port without an error");
    match timeout(WAIT, c.recv(&mut buf)).await {
        Ok(Err(e)) if e.kind() == ErrorKind::ConnectionRefused => {
            println!("c's next recv failed: {:?}", e.kind())
        }
        other => println!("unexpected: {other:?}"),
    }
    Ok(())
}
// ANCHOR_END: main
