// Exercise: a set of tokio tasks that must finish within a deadline. The
// tests run on tokio's paused clock, so "three seconds" take no real time
// and every run gives the same answer.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

// ANCHOR: solution
/// One job: sleeps for `work`, then says it finished.
pub struct Job {
    pub id: u32,
    pub work: Duration,
    /// Set when the job has done its work.
    pub finished: Arc<AtomicBool>,
}

/// Runs every job as its own task. Returns the ids of the jobs that finished
/// within `deadline`, in the order they finished; the tasks still running at
/// the deadline are cancelled, not left behind.
pub async fn run_within(jobs: Vec<Job>, deadline: Duration) -> Vec<u32> {
    // ANCHOR: todo
    let mut set = JoinSet::new();
    for job in jobs {
        set.spawn(async move {
            tokio::time::sleep(job.work).await;
            job.finished.store(true, Ordering::SeqCst);
            job.id
        });
    }
    let mut done = Vec::new();
    let until = Instant::now() + deadline;
    while let Ok(Some(joined)) = tokio::time::timeout_at(until, set.join_next()).await {
        done.push(joined.expect("a job panicked"));
    }
    set.abort_all();
    done
    // ANCHOR_END: todo
}
// ANCHOR_END: solution

pub fn job(id: u32, secs: u64) -> Job {
    Job {
        id,
        work: Duration::from_secs(secs),
        finished: Arc::new(AtomicBool::new(false)),
    }
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    let start = Instant::now();
    let done = run_within(
        vec![job(1, 3), job(2, 1), job(3, 2)],
        Duration::from_millis(2500),
    )
    .await;
    println!("jobs of 3 s, 1 s and 2 s; finished within 2500 ms: {done:?}");
    println!("virtual time taken: {} ms", start.elapsed().as_millis());
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn finishes_early_when_all_are_done() {
        let start = Instant::now();
        let done = run_within(vec![job(1, 2), job(2, 1)], Duration::from_secs(60)).await;
        assert_eq!(done, [2, 1]);
        assert_eq!(start.elapsed(), Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn stops_at_the_deadline() {
        let start = Instant::now();
        let done = run_within(
            vec![job(1, 3), job(2, 1), job(3, 2)],
            Duration::from_millis(2500),
        )
        .await;
        assert_eq!(done, [2, 3]);
        assert_eq!(start.elapsed(), Duration::from_millis(2500));
    }

    #[tokio::test(start_paused = true)]
    async fn late_jobs_are_cancelled() {
        let late = job(1, 10);
        let flag = late.finished.clone();
        assert!(
            run_within(vec![late], Duration::from_secs(1))
                .await
                .is_empty()
        );
        tokio::time::sleep(Duration::from_secs(60)).await;
        assert!(
            !flag.load(Ordering::SeqCst),
            "the late job ran on after the deadline"
        );
    }
}
// ANCHOR_END: tests
