// A minimal HTTP/1.1 exchange (RFC 9112) between a tokio server and a tokio
// client in one program on 127.0.0.1, with the raw bytes of both messages.

use std::io;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::timeout;

const WAIT: Duration = Duration::from_secs(5);
const MAX_HEAD: usize = 8 * 1024;

/// Shows a message as the bytes on the wire: CR and LF made visible, one
/// line of output per line of the message.
fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .split_inclusive('\n')
        .map(|line| format!("    {}\n", line.replace('\r', "\\r").replace('\n', "\\n")))
        .collect()
}

// ANCHOR: server
/// Serves one request: reads the head (request line and header fields, up to
/// the empty line), answers, and closes.
async fn serve_one(listener: TcpListener) -> io::Result<Vec<u8>> {
    let (stream, _) = timeout(WAIT, listener.accept()).await??;
    let mut reader = BufReader::new(stream);
    let mut head = Vec::new();
    loop {
        let n = timeout(WAIT, reader.read_until(b'\n', &mut head)).await??;
        if n == 0 || head.ends_with(b"\r\n\r\n") || head.len() > MAX_HEAD {
            break;
        }
    }
    let request_line = String::from_utf8_lossy(&head)
        .lines()
        .next()
        .unwrap_or("")
        .to_owned();
    let (status, body) = match request_line.split(' ').collect::<Vec<_>>()[..] {
        ["GET", "/hello", "HTTP/1.1"] => ("200 OK", "hello, world\n"),
        [_, _, "HTTP/1.1"] => ("404 Not Found", "no such page\n"),
        _ => ("400 Bad Request", "bad request\n"),
    };
    // A real origin server would also send Date (RFC 9110 §6.6.1); it is left
    // out so that the output below is the same on every run.
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = reader.into_inner();
    timeout(WAIT, stream.write_all(response.as_bytes())).await??;
    timeout(WAIT, stream.shutdown()).await??;
    Ok(head)
}
// ANCHOR_END: server

// ANCHOR: client
/// Sends a GET and reads the response until the server closes the connection.
async fn get(server: std::net::SocketAddr, path: &str) -> io::Result<Vec<u8>> {
    let mut stream = timeout(WAIT, TcpStream::connect(server)).await??;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {server}\r\nUser-Agent: book-listing\r\nConnection: close\r\n\r\n"
    );
    timeout(WAIT, stream.write_all(request.as_bytes())).await??;
    let mut response = Vec::new();
    timeout(
        WAIT,
        (&mut stream).take(64 * 1024).read_to_end(&mut response),
    )
    .await??;
    Ok(response)
}
// ANCHOR_END: client

/// A response split into its parts; header names are lowercased.
struct Response {
    status: u16,
    fields: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Splits a response into status code, header fields and body.
fn parse_response(bytes: &[u8]) -> Option<Response> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&bytes[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let fields = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Some(Response {
        status,
        fields,
        body: bytes[end + 4..].to_vec(),
    })
}

#[tokio::main]
async fn main() -> io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let server = listener.local_addr()?;
    println!("server listening on {server}");
    let served = tokio::spawn(serve_one(listener));
    let response = get(server, "/hello").await?;
    let request = timeout(WAIT, served).await?.map_err(io::Error::other)??;

    println!("\nrequest, {} bytes, as the server read it:", request.len());
    print!("{}", show(&request));
    println!(
        "\nresponse, {} bytes, as the client read it:",
        response.len()
    );
    print!("{}", show(&response));
    if let Some(Response {
        status,
        fields,
        body,
    }) = parse_response(&response)
    {
        let length = fields
            .iter()
            .find(|(n, _)| n == "content-length")
            .map(|(_, v)| v.as_str());
        println!(
            "\nstatus {status}, {} header fields, Content-Length {}, body {:?}",
            fields.len(),
            length.unwrap_or("?"),
            String::from_utf8_lossy(&body)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn exchange(path: &str) -> (Vec<u8>, Vec<u8>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = listener.local_addr().unwrap();
        let served = tokio::spawn(serve_one(listener));
        let response = get(server, path).await.unwrap();
        (
            timeout(WAIT, served).await.unwrap().unwrap().unwrap(),
            response,
        )
    }

    #[tokio::test]
    async fn hello_and_not_found() {
        let (request, response) = exchange("/hello").await;
        assert!(request.starts_with(b"GET /hello HTTP/1.1\r\nHost: 127.0.0.1:"));
        assert!(request.ends_with(b"\r\n\r\n"));
        let Response {
            status,
            fields,
            body,
        } = parse_response(&response).unwrap();
        assert_eq!((status, &body[..]), (200, &b"hello, world\n"[..]));
        assert!(fields.contains(&("content-length".into(), body.len().to_string())));
        let (_, response) = exchange("/nope").await;
        assert_eq!(parse_response(&response).unwrap().status, 404);
    }

    #[test]
    fn show_makes_line_ends_visible() {
        assert_eq!(show(b"A\r\nB"), "    A\\r\\n\n    B\n");
    }
}
