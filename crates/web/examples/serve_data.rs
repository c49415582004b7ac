//! Serves an existing data directory, without the CLI's background poller: the web application
//! alone, for measuring pages over a large register.
//!
//! `cargo run --release -p casebook-web --example serve_data -- DATA_DIR [ADDR] [public]`

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(data) = args.next() else {
        eprintln!("usage: serve_data DATA_DIR [ADDR (default 127.0.0.1:8080)] [public]");
        std::process::exit(2);
    };
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8080".to_string());
    let addr: std::net::SocketAddr = match addr.parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("serve_data: {addr:?} is not an address: {e}");
            std::process::exit(2);
        }
    };
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| {
        eprintln!("serve_data: cannot start the runtime: {e}");
        std::process::exit(1);
    });
    let mut config = casebook_web::Config::new(data);
    config.public = args.next().is_some_and(|a| a == "public");
    if let Err(e) = runtime.block_on(casebook_web::serve(config, addr)) {
        eprintln!("serve_data: {e}");
        std::process::exit(1);
    }
}
