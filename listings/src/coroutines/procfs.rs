//! Reading the figures the Linux kernel keeps about processes, from `/proc`.
//!
//! The measurement listing of Part I (`coroutines/measured/spawn_cost`)
//! uses these to report memory from the OS itself rather than from guesses.
//! Parsers take the file's text and return a [`ProcError`] on anything
//! unexpected; they never panic on input. See `proc_pid_status(5)`,
//! `proc_pid_smaps(5)`, `proc_meminfo(5)` and `proc_pid_limits(5)`.

use std::fmt;
use std::path::Path;

/// Why a figure could not be read.
#[derive(Debug)]
pub enum ProcError {
    /// The file could not be read (not Linux, or the process is gone).
    Io { path: String, error: std::io::Error },
    /// The file has no line for this field.
    MissingField(String),
    /// The field's value is not what `proc(5)` documents.
    BadValue { field: String, value: String },
}

impl fmt::Display for ProcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProcError::Io { path, error } => write!(f, "cannot read {path}: {error}"),
            ProcError::MissingField(field) => write!(f, "no field {field:?}"),
            ProcError::BadValue { field, value } => {
                write!(f, "field {field:?} has unexpected value {value:?}")
            }
        }
    }
}

impl std::error::Error for ProcError {}

fn read(path: impl AsRef<Path>) -> Result<String, ProcError> {
    let path = path.as_ref();
    std::fs::read_to_string(path).map_err(|error| ProcError::Io {
        path: path.display().to_string(),
        error,
    })
}

/// The value of a `Name:   1234 kB` line, in KiB (the kernel's "kB" is 1024 bytes).
pub fn field_kib(text: &str, field: &str) -> Result<u64, ProcError> {
    let value = text
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .ok_or_else(|| ProcError::MissingField(field.to_owned()))?;
    let bad = || ProcError::BadValue {
        field: field.to_owned(),
        value: value.trim().to_owned(),
    };
    let number = value.trim().strip_suffix("kB").ok_or_else(bad)?;
    number.trim().parse().map_err(|_| bad())
}

/// Resident memory of this process now (`VmRSS` of `/proc/self/status`), KiB.
pub fn self_rss_kib() -> Result<u64, ProcError> {
    field_kib(&read("/proc/self/status")?, "VmRSS")
}

/// Proportional set size of a process (`Pss` of `/proc/<pid>/smaps_rollup`),
/// KiB: its private pages plus its share of pages it shares with others.
pub fn pss_kib(pid: u32) -> Result<u64, ProcError> {
    field_kib(&read(format!("/proc/{pid}/smaps_rollup"))?, "Pss")
}

/// Memory available for new work without swapping (`MemAvailable`), KiB.
pub fn mem_available_kib() -> Result<u64, ProcError> {
    field_kib(&read("/proc/meminfo")?, "MemAvailable")
}

/// Whether a process is blocked reading a pipe. The kernel function it
/// sleeps in (`/proc/<pid>/wchan`) is `pipe_read`, or `anon_pipe_read` on
/// recent kernels.
pub fn is_blocked_on_pipe(pid: u32) -> Result<bool, ProcError> {
    Ok(read(format!("/proc/{pid}/wchan"))?.contains("pipe_read"))
}

/// The soft limit on this user's processes and threads (`Max processes` of
/// `/proc/self/limits`); `None` when unlimited.
pub fn max_processes_limit(limits: &str) -> Result<Option<u64>, ProcError> {
    const FIELD: &str = "Max processes";
    let rest = limits
        .lines()
        .find_map(|line| line.strip_prefix(FIELD))
        .ok_or_else(|| ProcError::MissingField(FIELD.to_owned()))?;
    let soft = rest.split_whitespace().next().unwrap_or("");
    if soft == "unlimited" {
        return Ok(None);
    }
    soft.parse().map(Some).map_err(|_| ProcError::BadValue {
        field: FIELD.to_owned(),
        value: soft.to_owned(),
    })
}

/// A number the kernel publishes as a file of its own, such as
/// `/proc/sys/kernel/pid_max`.
pub fn kernel_number(path: &str) -> Result<u64, ProcError> {
    let text = read(path)?;
    text.trim().parse().map_err(|_| ProcError::BadValue {
        field: path.to_owned(),
        value: text.trim().to_owned(),
    })
}

/// How many threads and processes may exist at once: the smallest of
/// `kernel.threads-max`, `kernel.pid_max` and this user's `RLIMIT_NPROC`.
/// (A cgroup `pids.max` may set a lower limit still; it is not read here.)
pub fn task_limit() -> Result<u64, ProcError> {
    let threads_max = kernel_number("/proc/sys/kernel/threads-max")?;
    let pid_max = kernel_number("/proc/sys/kernel/pid_max")?;
    let nproc = max_processes_limit(&read("/proc/self/limits")?)?.unwrap_or(u64::MAX);
    Ok(threads_max.min(pid_max).min(nproc))
}

/// One line naming the machine: CPUs, CPU model, kernel release, free memory.
pub fn machine_summary() -> Result<String, ProcError> {
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let cpuinfo = read("/proc/cpuinfo")?;
    let model = cpuinfo
        .lines()
        .find_map(|line| {
            line.strip_prefix("model name")?
                .split_once(':')
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let release = read("/proc/sys/kernel/osrelease")?;
    let available = mem_available_kib()? / 1024;
    Ok(format!(
        "{cpus} CPUs ({model}), Linux {}, {available} MiB available",
        release.trim()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: &str =
        "Name:\tcat\nVmPeak:\t    2420 kB\nVmHWM:\t     980 kB\nVmRSS:\t     976 kB\nThreads:\t1\n";

    #[test]
    fn reads_a_kib_field() {
        assert_eq!(field_kib(STATUS, "VmRSS").unwrap(), 976);
        assert_eq!(field_kib(STATUS, "VmHWM").unwrap(), 980);
    }

    #[test]
    fn a_missing_or_odd_field_is_an_error_not_a_panic() {
        assert!(matches!(
            field_kib(STATUS, "VmSwap"),
            Err(ProcError::MissingField(_))
        ));
        assert!(matches!(
            field_kib(STATUS, "Threads"),
            Err(ProcError::BadValue { .. })
        ));
        assert!(matches!(
            field_kib("VmRSS: lots kB\n", "VmRSS"),
            Err(ProcError::BadValue { .. })
        ));
        assert!(field_kib("", "VmRSS").is_err());
    }

    #[test]
    fn reads_the_process_limit() {
        let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
                      Max processes             96365                96365                processes \n";
        assert_eq!(max_processes_limit(limits).unwrap(), Some(96365));
        let unlimited =
            "Max processes             unlimited            unlimited            processes \n";
        assert_eq!(max_processes_limit(unlimited).unwrap(), None);
        assert!(max_processes_limit("nothing here").is_err());
    }

    #[test]
    fn this_process_has_resident_memory() {
        assert!(self_rss_kib().unwrap() > 0);
        assert!(pss_kib(std::process::id()).unwrap() > 0);
    }
}
