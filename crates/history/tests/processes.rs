//! Across processes, with the real helper binary: two processes allocating register numbers at
//! the same moment, and a process killed (SIGKILL) in the middle of a streamed run or of a run
//! of allocations, then a restart.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdout, Command, Stdio};

use katib_history::*;

use crate::util::*;

fn spawn(args: &[&str]) -> (Child, BufReader<ChildStdout>) {
    let mut child = Command::new(testhelper())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    (child, out)
}

fn line(out: &mut BufReader<ChildStdout>) -> String {
    let mut s = String::new();
    let n = out.read_line(&mut s).unwrap();
    assert!(n > 0, "the helper stopped early");
    s.trim_end().to_string()
}

#[test]
fn two_processes_allocating_at_once_get_different_numbers_with_no_gap() {
    let db = Db::new();
    drop(db.open()); // create and migrate first, as the window would have
    let path = db.path.to_str().unwrap();
    let mut a = spawn(&["allocate", path, "DAG", "200"]);
    let mut b = spawn(&["allocate", path, "DAG", "200"]);
    assert_eq!(line(&mut a.1), "ready");
    assert_eq!(line(&mut b.1), "ready");
    // Both start together.
    a.0.stdin.as_mut().unwrap().write_all(b"go\n").unwrap();
    b.0.stdin.as_mut().unwrap().write_all(b"go\n").unwrap();
    let time = |out: &mut BufReader<ChildStdout>, what: &str| -> u128 {
        line(out).strip_prefix(what).unwrap().trim().parse().unwrap()
    };
    let a_start = time(&mut a.1, "start");
    let got_a: Vec<String> = (0..200).map(|_| line(&mut a.1)).collect();
    let a_end = time(&mut a.1, "end");
    let b_start = time(&mut b.1, "start");
    let got_b: Vec<String> = (0..200).map(|_| line(&mut b.1)).collect();
    let b_end = time(&mut b.1, "end");
    assert!(a.0.wait().unwrap().success() && b.0.wait().unwrap().success());
    // They were allocating at the same moment: each started before the other had finished.
    assert!(a_start < b_end && b_start < a_end, "the two processes did not run at the same time");

    let seq = |n: &String| n.split('/').next().unwrap().parse::<u32>().unwrap();
    let all: HashSet<u32> = got_a.iter().chain(&got_b).map(seq).collect();
    assert_eq!(all.len(), 400, "a number was given twice");
    assert_eq!(all, (1..=400).collect::<HashSet<_>>(), "a gap in the numbers");
    // Each process saw its own numbers increase; and they really interleaved.
    for got in [&got_a, &got_b] {
        assert!(got.windows(2).all(|w| seq(&w[0]) < seq(&w[1])));
    }

    let h = db.open();
    let reg = h.register(&RegisterFilter::default()).unwrap();
    assert_eq!(reg.len(), 400);
    assert!(h.integrity_check().unwrap().is_ok());
}

#[test]
fn kill_9_during_allocations_leaves_no_gap_and_no_duplicate() {
    let db = Db::new();
    drop(db.open());
    let path = db.path.to_str().unwrap();
    let (mut child, mut out) = spawn(&["allocate", path, "DAG", "100000"]);
    assert_eq!(line(&mut out), "ready");
    child.stdin.as_mut().unwrap().write_all(b"go\n").unwrap();
    assert!(line(&mut out).starts_with("start "));
    for _ in 0..50 {
        line(&mut out);
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let h = db.open();
    assert!(h.integrity_check().unwrap().is_ok());
    let seqs: Vec<u32> = h.register(&RegisterFilter::default()).unwrap().iter().map(|e| e.seq).collect();
    assert!(seqs.len() >= 50);
    assert_eq!(seqs, (1..=seqs.len() as u32).collect::<Vec<_>>());
    let next = h
        .allocate(
            &RegisterPattern::default(),
            "DAG",
            chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            &Letter::default(),
        )
        .unwrap();
    assert_eq!(next.seq as usize, seqs.len() + 1);
}

#[test]
fn kill_9_mid_stream_then_restart_keeps_the_partial_answer() {
    let db = Db::new();
    drop(db.open());
    let path = db.path.to_str().unwrap();
    let (mut child, mut out) = spawn(&["stream", path]);
    let run_line = line(&mut out);
    let id = run_line.strip_prefix("run ").unwrap().to_string();
    // Kill when the 5th checkpoint is written (not after a sleep).
    let mut saved = 0usize;
    for _ in 0..5 {
        saved = line(&mut out).strip_prefix("saved ").unwrap().parse().unwrap();
    }
    child.kill().unwrap();
    child.wait().unwrap();

    // Before anyone opens it, the run is still marked running in the file.
    {
        let c = rusqlite::Connection::open(&db.path).unwrap();
        let status: String = c.query_row("SELECT status FROM runs WHERE id = ?1", [&id], |r| r.get(0)).unwrap();
        assert_eq!(status, "running");
    }
    // Restart: the run is closed as partial with its answer up to (at least) the 5th checkpoint.
    let h = db.open();
    let r = h.get(&id).unwrap();
    assert_eq!((r.summary.status, r.summary.error_code.as_deref()), (Status::Partial, Some("history.interrupted")));
    let answer = r.texts.unwrap().answer;
    let expected: String =
        (0..2000).map(|n| format!("Paragraphe {n} : la commune accuse réception de votre demande. ")).collect();
    assert!(answer.len() >= saved, "{} bytes kept, {saved} were saved", answer.len());
    assert!(expected.starts_with(&answer), "the kept answer is not the streamed text");
    assert_eq!(h.list(&Filter { status: Some(Status::Partial), ..Default::default() }).unwrap().len(), 1);
    assert_eq!(h.search("commune accuse", &Filter::default()).unwrap()[0].run.id, id);
    assert!(h.integrity_check().unwrap().is_ok());
    // The dead process's owner file was cleaned up.
    let owners = db.path.with_file_name(format!("{FILE_NAME}-owners"));
    assert_eq!(std::fs::read_dir(owners).unwrap().count(), 1, "only this process's");
}

#[test]
fn two_processes_creating_the_database_at_once_both_work() {
    let db = Db::new();
    let path = db.path.to_str().unwrap();
    // Neither has created the file: both create, set WAL and migrate at the same moment.
    let mut a = spawn(&["allocate", path, "DAG", "20"]);
    let mut b = spawn(&["allocate", path, "DAG", "20"]);
    for p in [&mut a, &mut b] {
        assert_eq!(line(&mut p.1), "ready");
        p.0.stdin.as_mut().unwrap().write_all(b"go\n").unwrap();
    }
    for p in [&mut a, &mut b] {
        assert!(line(&mut p.1).starts_with("start "));
        for _ in 0..20 {
            line(&mut p.1);
        }
        assert!(p.0.wait().unwrap().success());
    }
    let h = db.open();
    let seqs: Vec<u32> = h.register(&RegisterFilter::default()).unwrap().iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=40).collect::<Vec<_>>());
    let c = rusqlite::Connection::open(&db.path).unwrap();
    let v: u32 = c.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, SCHEMA_VERSION);
}
