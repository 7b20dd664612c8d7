//! What the engine tells people and asks them: messages (stderr), a live progress display
//! per stack (indicatif on a terminal, plain lines when piped or in CI), and questions.
use std::collections::VecDeque;
use std::io::{BufRead, IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

/// Asks yes/no and typed confirmations.
pub trait Prompter: Send + Sync {
    /// Whether anyone can answer (a terminal, not CI).
    fn interactive(&self) -> bool;
    /// Yes/no question; `false` unless answered yes.
    fn confirm(&self, question: &str) -> bool;
    /// True when the answer is exactly `expected`.
    fn typed(&self, question: &str, expected: &str) -> bool;
}

/// Questions on the terminal; never interactive in CI or without a TTY.
pub struct StdinPrompter;

fn read_answer(question: &str) -> String {
    eprint!("{question} ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    line.trim().to_string()
}

impl Prompter for StdinPrompter {
    fn interactive(&self) -> bool {
        std::io::stdin().is_terminal() && std::env::var_os("CI").is_none()
    }
    fn confirm(&self, question: &str) -> bool {
        self.interactive()
            && matches!(
                read_answer(&format!("{question} [y/N]")).as_str(),
                "y" | "Y" | "yes"
            )
    }
    fn typed(&self, question: &str, expected: &str) -> bool {
        self.interactive()
            && read_answer(&format!("{question} Type '{expected}' to confirm:")) == expected
    }
}

/// Scripted answers for tests; records the questions asked.
pub struct ScriptedPrompter {
    pub interactive: bool,
    answers: Mutex<VecDeque<String>>,
    pub asked: Mutex<Vec<String>>,
}

impl ScriptedPrompter {
    pub fn new(interactive: bool, answers: &[&str]) -> ScriptedPrompter {
        ScriptedPrompter {
            interactive,
            answers: Mutex::new(answers.iter().map(|s| s.to_string()).collect()),
            asked: Mutex::new(Vec::new()),
        }
    }
    fn next(&self, question: &str) -> String {
        self.asked.lock().unwrap().push(question.to_string());
        self.answers.lock().unwrap().pop_front().unwrap_or_default()
    }
}

impl Prompter for ScriptedPrompter {
    fn interactive(&self) -> bool {
        self.interactive
    }
    fn confirm(&self, question: &str) -> bool {
        self.interactive && self.next(question) == "y"
    }
    fn typed(&self, question: &str, expected: &str) -> bool {
        self.interactive && self.next(question) == expected
    }
}

pub struct Ui {
    lines: Mutex<Vec<String>>,
    echo: bool,
    bars: Option<MultiProgress>,
    pub prompter: Arc<dyn Prompter>,
}

impl Ui {
    /// For the CLI: messages on stderr, spinners on a terminal outside CI.
    pub fn terminal() -> Ui {
        let fancy = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        Ui {
            lines: Mutex::new(Vec::new()),
            echo: true,
            bars: fancy.then(MultiProgress::new),
            prompter: Arc::new(StdinPrompter),
        }
    }

    /// For tests: plain lines, kept in memory (and not printed).
    pub fn capture(prompter: Arc<dyn Prompter>) -> Ui {
        Ui {
            lines: Mutex::new(Vec::new()),
            echo: false,
            bars: None,
            prompter,
        }
    }

    pub fn say(&self, msg: impl Into<String>) {
        let msg = msg.into();
        if self.echo {
            match &self.bars {
                Some(bars) => {
                    let _ = bars.println(&msg);
                }
                None => eprintln!("{msg}"),
            }
        }
        self.lines.lock().unwrap().push(msg);
    }

    /// Colours for messages: on a terminal (stderr), unless NO_COLOR; never when captured.
    pub fn color(&self) -> bool {
        self.echo && crate::diff::text::use_color_stderr()
    }

    /// Everything said so far, one entry per message.
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    pub fn transcript(&self) -> String {
        self.lines().join("\n")
    }

    /// A live line for one stack.
    pub fn stack(&self, stack: &str) -> StackProgress<'_> {
        let bar = self.bars.as_ref().map(|bars| {
            let bar = bars.add(ProgressBar::new_spinner());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {prefix:.bold} {elapsed:>4} {wide_msg}")
                    .expect("valid template"),
            );
            bar.set_prefix(stack.to_string());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        StackProgress {
            ui: self,
            stack: stack.to_string(),
            bar,
        }
    }
}

pub struct StackProgress<'a> {
    ui: &'a Ui,
    stack: String,
    bar: Option<ProgressBar>,
}

impl StackProgress<'_> {
    /// A progress step: the spinner's message on a terminal, a plain line otherwise.
    pub fn step(&self, msg: &str) {
        match &self.bar {
            Some(bar) => {
                bar.set_message(msg.to_string());
                self.ui
                    .lines
                    .lock()
                    .unwrap()
                    .push(format!("[{}] {msg}", self.stack));
            }
            None => self.ui.say(format!("[{}] {msg}", self.stack)),
        }
    }

    /// Ends the live line; the final message stays on screen as a plain line.
    pub fn finish(self, msg: &str) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        self.ui.say(format!("[{}] {msg}", self.stack));
    }
}
