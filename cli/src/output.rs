//! Machine output kept apart from program logs.
//!
//! On the embedded ledger the program runs natively in this process, and its `msg!` lines
//! (Anchor's "AnchorError thrown in ...", "Left:"/"Right:") are printed to file descriptor 1.
//! At start the CLI keeps its own copy of stdout for what it prints ([`outln!`]) and points
//! descriptor 1 at stderr: stdout then carries only the CLI's output (one JSON object per
//! line in `drill run`, one document with `--output json`) and program logs go to stderr.
use std::{
    fs::File,
    io::{LineWriter, Write},
    os::fd::AsFd,
    sync::{Mutex, OnceLock},
};

static OUT: OnceLock<Mutex<LineWriter<File>>> = OnceLock::new();

/// Keep a private copy of stdout for [`outln!`] and send descriptor 1 (program logs) to stderr.
pub fn separate_program_logs() -> std::io::Result<()> {
    std::io::stdout().flush()?;
    let copy = std::io::stdout().as_fd().try_clone_to_owned()?;
    // SAFETY: dup2 on two descriptors this process owns; Rust's stdout keeps writing to 1.
    if unsafe { libc::dup2(libc::STDERR_FILENO, libc::STDOUT_FILENO) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    let _ = OUT.set(Mutex::new(LineWriter::new(File::from(copy))));
    Ok(())
}

/// Write one line of the CLI's own output to the real stdout. A closed pipe (`| head`) ends
/// the process quietly, as the shell expects.
pub fn write_line(line: std::fmt::Arguments) {
    let result = match OUT.get() {
        Some(out) => {
            let mut out = out.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            writeln!(out, "{line}")
        }
        None => writeln!(std::io::stdout(), "{line}"),
    };
    if let Err(error) = result {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

/// `println!` for the CLI's own output (see the module docs).
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::output::write_line(format_args!($($arg)*))
    };
}
pub(crate) use outln;
