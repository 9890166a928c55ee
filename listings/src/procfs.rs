//! Reading the figures the Linux kernel keeps about processes, from `/proc`:
//! the one `/proc` reader of the book.
//!
//! The measurement listings (`coroutines/measured/spawn_cost` in Part I, the
//! capstone's `tcp-udp/capstone/echo_load` in Part III) use these to report
//! memory and the machine from the OS itself rather than from guesses.
//! Parsers take the file's text and return a [`ProcError`] on anything
//! unexpected; they never panic on input. See `proc_pid_status(5)`,
//! `proc_pid_smaps(5)`, `proc_meminfo(5)` and `proc_pid_limits(5)`.

use std::path::Path;

/// Why a figure could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ProcError {
    /// The file could not be read (not Linux, or the process is gone).
    #[error("cannot read {path}: {error}")]
    Io { path: String, error: std::io::Error },
    /// The file has no line for this field.
    #[error("no field {0:?}")]
    MissingField(String),
    /// The field's value is not what `proc(5)` documents.
    #[error("field {field:?} has unexpected value {value:?}")]
    BadValue { field: String, value: String },
}

impl From<ProcError> for std::io::Error {
    fn from(e: ProcError) -> std::io::Error {
        match e {
            ProcError::Io { error, .. } => error,
            other => std::io::Error::new(std::io::ErrorKind::InvalidData, other),
        }
    }
}

fn read(path: impl AsRef<Path>) -> Result<String, ProcError> {
    let path = path.as_ref();
    std::fs::read_to_string(path).map_err(|error| ProcError::Io {
        path: path.display().to_string(),
        error,
    })
}

/// The text after `Name:` on the `Name:` line of a status-like file.
fn field<'a>(text: &'a str, field: &str) -> Result<&'a str, ProcError> {
    text.lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .map(str::trim)
        .ok_or_else(|| ProcError::MissingField(field.to_owned()))
}

fn bad_value(field: &str, value: &str) -> ProcError {
    ProcError::BadValue {
        field: field.to_owned(),
        value: value.to_owned(),
    }
}

/// The value of a `Name:   1234 kB` line, in KiB (the kernel's "kB" is 1024 bytes).
pub fn field_kib(text: &str, name: &str) -> Result<u64, ProcError> {
    let value = field(text, name)?;
    let number = value
        .strip_suffix("kB")
        .ok_or_else(|| bad_value(name, value))?;
    number.trim().parse().map_err(|_| bad_value(name, value))
}

/// The value of a `Name:   12` line that holds a plain number (`Threads`).
pub fn field_number(text: &str, name: &str) -> Result<u64, ProcError> {
    let value = field(text, name)?;
    value.parse().map_err(|_| bad_value(name, value))
}

/// The lines of `/proc/<pid>/status` the capstone reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcStatus {
    /// Resident set size now, KiB.
    pub rss_kib: u64,
    /// Peak resident set size ("high water mark"), KiB.
    pub hwm_kib: u64,
    /// Number of threads.
    pub threads: u64,
    /// Virtual memory size (address space reserved, touched or not), KiB.
    pub virtual_kib: u64,
}

impl ProcStatus {
    /// Reads the status of process `pid`.
    pub fn of_pid(pid: u32) -> Result<ProcStatus, ProcError> {
        ProcStatus::parse(&read(format!("/proc/{pid}/status"))?)
    }

    /// Reads the status of this process.
    pub fn of_self() -> Result<ProcStatus, ProcError> {
        ProcStatus::parse(&read("/proc/self/status")?)
    }

    /// Parses the text of a `/proc/<pid>/status` file.
    pub fn parse(text: &str) -> Result<ProcStatus, ProcError> {
        Ok(ProcStatus {
            rss_kib: field_kib(text, "VmRSS")?,
            hwm_kib: field_kib(text, "VmHWM")?,
            threads: field_number(text, "Threads")?,
            virtual_kib: field_kib(text, "VmSize")?,
        })
    }
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

/// The model name of the first CPU in a `/proc/cpuinfo` text (x86 and most
/// others write `model name\t: ...`), or `"unknown CPU"`.
pub fn cpu_model(cpuinfo: &str) -> String {
    cpuinfo
        .lines()
        .find_map(|line| {
            line.strip_prefix("model name")?
                .split_once(':')
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}

/// What the measurements say about the machine they ran on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Machine {
    /// CPUs this process may use.
    pub cpus: usize,
    pub cpu_model: String,
    /// The kernel release, `6.18.44-...`.
    pub kernel: String,
}

impl Machine {
    /// Reads `/proc/cpuinfo` and `/proc/sys/kernel/osrelease`.
    pub fn read() -> Result<Machine, ProcError> {
        Ok(Machine {
            cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu_model: cpu_model(&read("/proc/cpuinfo")?),
            kernel: read("/proc/sys/kernel/osrelease")?.trim().to_owned(),
        })
    }
}

/// One line naming the machine: CPUs, CPU model, kernel release, free memory.
pub fn machine_summary() -> Result<String, ProcError> {
    let Machine {
        cpus,
        cpu_model,
        kernel,
    } = Machine::read()?;
    let available = mem_available_kib()? / 1024;
    Ok(format!(
        "{cpus} CPUs ({cpu_model}), Linux {kernel}, {available} MiB available"
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
    fn reads_a_whole_status() {
        let status = "Name:\tlistings\nVmSize:\t  99999 kB\nVmHWM:\t   12345 kB\n\
                      VmRSS:\t    2048 kB\nThreads:\t3\n";
        assert_eq!(
            ProcStatus::parse(status).unwrap(),
            ProcStatus {
                rss_kib: 2048,
                hwm_kib: 12345,
                threads: 3,
                virtual_kib: 99999
            }
        );
        assert!(matches!(
            ProcStatus::parse("Name: x\n"),
            Err(ProcError::MissingField(f)) if f == "VmRSS"
        ));
        assert!(field_number("Threads:\tmany\n", "Threads").is_err());
    }

    #[test]
    fn reads_the_cpu_model() {
        let cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n";
        assert_eq!(cpu_model(cpuinfo), "AMD EPYC 7B13");
        assert_eq!(cpu_model("processor\t: 0\n"), "unknown CPU");
    }

    #[test]
    fn this_process_has_resident_memory() {
        let me = ProcStatus::of_self().unwrap();
        assert!(me.rss_kib > 0 && me.hwm_kib >= me.rss_kib && me.threads >= 1);
        assert!(!Machine::read().unwrap().kernel.is_empty());
        assert!(self_rss_kib().unwrap() > 0);
        assert!(pss_kib(std::process::id()).unwrap() > 0);
    }
}
