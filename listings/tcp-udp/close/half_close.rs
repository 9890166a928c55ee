// Half-close: the client shuts down its write half (TCP sends a FIN), and
// then goes on reading everything the server still sends. Both ends live in
// this one task, so the steps run in a fixed order. On Linux the listing also
// reads each end's TCP state from /proc/net/tcp.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::timeout;

/// The longest any single step may take.
const WAIT: Duration = Duration::from_secs(5);

// ANCHOR: main
#[tokio::main]
async fn main() -> std::io::Result<()> {
    for line in half_close().await? {
        println!("{line}");
    }
    Ok(())
}

async fn half_close() -> std::io::Result<Vec<String>> {
    let mut log = Vec::new();
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let client = TcpStream::connect(listener.local_addr()?).await?;
    let (mut server, _) = timeout(WAIT, listener.accept()).await??;
    let (client_port, server_port) = (client.local_addr()?.port(), server.local_addr()?.port());
    let (client_read, mut client_write) = client.into_split();

    // 1. The client sends its request, then closes its sending direction.
    client_write.write_all(b"send me three lines").await?;
    client_write.shutdown().await?; // FIN
    log.push("client: sent 19 bytes, then shutdown() of its write half: FIN".to_owned());
    let refused = client_write.write_all(b"more").await.unwrap_err();
    log.push(format!(
        "client: a write after shutdown() fails: {:?}",
        refused.kind()
    ));

    // 2. The server reads to the end of the stream: the client's FIN.
    let mut request = String::new();
    timeout(WAIT, server.read_to_string(&mut request)).await??;
    log.push(format!("server: read {request:?}, then end of stream"));
    log.push(format!(
        "client state: {}",
        wait_for_state(client_port, server_port, "FIN-WAIT-2").await
    ));
    log.push(format!(
        "server state: {}",
        wait_for_state(server_port, client_port, "CLOSE-WAIT").await
    ));

    // 3. The client's FIN was acknowledged; the server still sends, and the
    //    client still receives.
    for i in 1..=3 {
        server
            .write_all(format!("line {i} of 3\n").as_bytes())
            .await?;
    }
    server.shutdown().await?; // the server's FIN
    log.push("server: sent 3 lines, then shutdown(): FIN".to_owned());
    let mut lines = BufReader::new(client_read).lines();
    for _ in 0..10 {
        match timeout(WAIT, lines.next_line()).await?? {
            Some(line) => log.push(format!("client: received {line:?}")),
            None => {
                log.push("client: end of stream (the server's FIN)".to_owned());
                break;
            }
        }
    }
    log.push(format!(
        "client state: {}",
        wait_for_state(client_port, server_port, "TIME-WAIT").await
    ));
    Ok(log)
}
// ANCHOR_END: main

/// Polls the Linux kernel's table of TCP sockets, /proc/net/tcp, until the
/// connection from 127.0.0.1:`local` to 127.0.0.1:`remote` is in state
/// `want`, for at most `WAIT`. Returns the last state seen.
async fn wait_for_state(local: u16, remote: u16, want: &str) -> String {
    let mut state = "unknown (no /proc/net/tcp)".to_owned();
    for _ in 0..500 {
        if let Some(seen) = tcp_state(local, remote) {
            state = seen.to_owned();
            if state == want {
                break;
            }
        }
        tokio::time::sleep(WAIT / 500).await;
    }
    state
}

/// The RFC 9293 name of the state of one loopback connection, from
/// /proc/net/tcp, where addresses are hex: 127.0.0.1:8008 is 0100007F:1F48.
fn tcp_state(local: u16, remote: u16) -> Option<&'static str> {
    let table = std::fs::read_to_string("/proc/net/tcp").ok()?;
    let (local, remote) = (
        format!("0100007F:{local:04X}"),
        format!("0100007F:{remote:04X}"),
    );
    let row = table.lines().skip(1).find(|row| {
        let mut cols = row.split_whitespace().skip(1);
        cols.next() == Some(&local) && cols.next() == Some(&remote)
    })?;
    let code = row.split_whitespace().nth(3)?;
    Some(match code {
        "01" => "ESTABLISHED",
        "02" => "SYN-SENT",
        "03" => "SYN-RECEIVED",
        "04" => "FIN-WAIT-1",
        "05" => "FIN-WAIT-2",
        "06" => "TIME-WAIT",
        "07" => "CLOSED",
        "08" => "CLOSE-WAIT",
        "09" => "LAST-ACK",
        "0A" => "LISTEN",
        "0B" => "CLOSING",
        _ => "unknown",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_client_reads_after_its_own_fin() {
        let log = timeout(4 * WAIT, half_close()).await.unwrap().unwrap();
        let text = log.join("\n");
        assert!(
            text.contains("a write after shutdown() fails: BrokenPipe"),
            "{text}"
        );
        for i in 1..=3 {
            assert!(
                text.contains(&format!("client: received \"line {i} of 3\"")),
                "{text}"
            );
        }
        assert!(
            text.ends_with("end of stream (the server's FIN)\nclient state: TIME-WAIT")
                || !cfg!(target_os = "linux"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn on_linux_the_half_closed_states_are_visible() {
        if !cfg!(target_os = "linux") {
            return;
        }
        let log = timeout(4 * WAIT, half_close()).await.unwrap().unwrap();
        assert!(
            log.contains(&"client state: FIN-WAIT-2".to_owned()),
            "{log:?}"
        );
        assert!(
            log.contains(&"server state: CLOSE-WAIT".to_owned()),
            "{log:?}"
        );
    }
}
