//! The Dockerfile, parsed once: logical lines (continuations joined), instructions of
//! the final stage, exec and shell forms, and what the container runs.

use std::fmt;

/// The exec form (`CMD ["node", "server.js"]`) or the shell form (`CMD node server.js`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    Exec(Vec<String>),
    Shell(String),
}

impl fmt::Display for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Form::Exec(words) => f.write_str(&words.join(" ")),
            Form::Shell(text) => f.write_str(text),
        }
    }
}

/// One instruction of the final stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// Upper case: `CMD`, `ENTRYPOINT`, `ENV`, `RUN`...
    pub keyword: String,
    /// The argument, continuation lines joined by a space.
    pub argument: String,
    /// Byte offset of the argument in the file.
    pub offset: usize,
    /// 1-based line of the instruction.
    pub line: usize,
}

impl Instruction {
    /// The argument read as a command.
    pub fn form(&self) -> Form {
        match serde_json::from_str::<Vec<String>>(&self.argument) {
            Ok(words) => Form::Exec(words),
            Err(_) => Form::Shell(self.argument.clone()),
        }
    }

    /// The argument's words, from either form (`COPY ["a", "b/"]` or `COPY a b/`).
    pub fn words(&self) -> Vec<String> {
        match self.form() {
            Form::Exec(words) => words,
            Form::Shell(text) => shell_words(&text),
        }
    }
}

/// A `COPY` or `ADD` of the final stage from the build context (not `--from` another
/// stage or image), its options left out.
pub struct ContextCopy<'a> {
    pub instruction: &'a Instruction,
    pub sources: Vec<String>,
    pub destination: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dockerfile {
    /// Instructions of the final stage (after its `FROM`), in file order.
    pub instructions: Vec<Instruction>,
    /// The final stage's base image.
    pub base_image: Option<String>,
}

impl Dockerfile {
    /// The final stage's copies of files from the repository.
    pub fn context_copies(&self) -> Vec<ContextCopy<'_>> {
        self.instructions
            .iter()
            .filter(|i| matches!(i.keyword.as_str(), "COPY" | "ADD"))
            .filter_map(|instruction| {
                let words = instruction.words();
                if words.iter().any(|w| w.starts_with("--from")) {
                    return None;
                }
                let mut operands: Vec<String> =
                    words.into_iter().filter(|w| !w.starts_with("--")).collect();
                let destination = operands.pop()?;
                Some(ContextCopy {
                    instruction,
                    sources: operands,
                    destination,
                })
            })
            .collect()
    }

    pub fn parse(text: &[u8]) -> Dockerfile {
        let mut dockerfile = Dockerfile::default();
        let lines: Vec<&[u8]> = text.split_inclusive(|b| *b == b'\n').collect();
        let (mut i, mut offset) = (0, 0);
        while i < lines.len() {
            let (start, line) = (offset, i + 1);
            let mut logical = String::from_utf8_lossy(lines[i]).trim_end().to_string();
            offset += lines[i].len();
            while logical.ends_with('\\') && i + 1 < lines.len() {
                logical.pop();
                logical.truncate(logical.trim_end().len());
                i += 1;
                let next = String::from_utf8_lossy(lines[i]);
                // Comment lines inside a continuation are dropped, as Docker does.
                if !next.trim_start().starts_with('#') {
                    logical.push(' ');
                    logical.push_str(next.trim());
                } else {
                    logical.push('\\');
                }
                offset += lines[i].len();
            }
            i += 1;
            let trimmed = logical.trim_start();
            if trimmed.starts_with('#') {
                continue;
            }
            let indent = logical.len() - trimmed.len();
            let Some((word, rest)) = trimmed.split_once(char::is_whitespace) else {
                continue;
            };
            let keyword = word.to_ascii_uppercase();
            let argument = rest.trim_start();
            if keyword == "FROM" {
                dockerfile.instructions.clear();
                dockerfile.base_image = argument.split_whitespace().next().map(String::from);
                continue;
            }
            dockerfile.instructions.push(Instruction {
                keyword,
                argument: argument.to_string(),
                offset: start + indent + word.len() + 1 + (rest.len() - argument.len()),
                line,
            });
        }
        dockerfile
    }

    /// The last `CMD` and the last `ENTRYPOINT` of the final stage, in file order: those
    /// the container runs.
    pub fn commands(&self) -> Vec<&Instruction> {
        let mut found: Vec<&Instruction> = [self.last("ENTRYPOINT"), self.last("CMD")]
            .into_iter()
            .flatten()
            .collect();
        found.sort_by_key(|i| i.offset);
        found
    }

    /// What the container runs: an exec-form `ENTRYPOINT` takes `CMD` as arguments, a
    /// shell-form one ignores it; without `ENTRYPOINT`, the `CMD`.
    pub fn start(&self) -> Option<String> {
        match (
            self.last("ENTRYPOINT").map(Instruction::form),
            self.last("CMD"),
        ) {
            (Some(Form::Exec(mut words)), Some(cmd)) => {
                words.push(cmd.form().to_string());
                Some(words.join(" "))
            }
            (Some(entrypoint), _) => Some(entrypoint.to_string()),
            (None, Some(cmd)) => Some(cmd.form().to_string()),
            (None, None) => None,
        }
    }

    /// The final stage's last instruction with this keyword: the one that takes effect.
    fn last(&self, keyword: &str) -> Option<&Instruction> {
        self.instructions.iter().rfind(|i| i.keyword == keyword)
    }

    /// `ENV` names and values of the final stage (both `ENV A=1 B=2` and `ENV A 1`).
    pub fn env(&self) -> Vec<(String, String, usize)> {
        let mut out = Vec::new();
        for instruction in self.instructions.iter().filter(|i| i.keyword == "ENV") {
            let argument = &instruction.argument;
            if !argument.contains('=') {
                if let Some((name, value)) = argument.split_once(char::is_whitespace) {
                    out.push((name.to_string(), unquote(value.trim()), instruction.line));
                }
                continue;
            }
            for pair in shell_words(argument) {
                if let Some((name, value)) = pair.split_once('=') {
                    out.push((name.to_string(), unquote(value), instruction.line));
                }
            }
        }
        out
    }
}

fn unquote(value: &str) -> String {
    value.trim_matches(['"', '\'']).to_string()
}

/// Words split on blanks outside quotes.
fn shell_words(text: &str) -> Vec<String> {
    let (mut words, mut word, mut quote) = (Vec::new(), String::new(), None);
    for c in text.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, c) if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            _ => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_of_the_last_stage() {
        let text = b"FROM node AS build\nCMD [\"x\"]\nFROM node\nENTRYPOINT [\"./entry.sh\"]\nCMD npm run migrate && \\\n  node server.js\n";
        let dockerfile = Dockerfile::parse(text);
        let commands = dockerfile.commands();
        assert_eq!(commands.len(), 2);
        assert_eq!(commands[0].form().to_string(), "./entry.sh");
        assert_eq!(
            commands[1].form().to_string(),
            "npm run migrate && node server.js"
        );
        assert!(text[commands[1].offset..].starts_with(b"npm run migrate"));
        assert_eq!(
            dockerfile.start().as_deref(),
            Some("./entry.sh npm run migrate && node server.js")
        );
    }

    /// A start command continued on the next line is read whole (it was cut at the
    /// backslash by a second reader).
    #[test]
    fn a_continued_command_is_read_whole() {
        let dockerfile =
            Dockerfile::parse(b"FROM node\nCMD node migrate.js && \\\n    node server.js\n");
        assert_eq!(
            dockerfile.start().as_deref(),
            Some("node migrate.js && node server.js")
        );
    }

    #[test]
    fn entrypoint_and_cmd() {
        let start = |text: &str| Dockerfile::parse(text.as_bytes()).start();
        assert_eq!(
            start("FROM x\nENTRYPOINT [\"/app\"]\nCMD [\"serve\", \"-v\"]\n").as_deref(),
            Some("/app serve -v")
        );
        assert_eq!(
            start("FROM x\nENTRYPOINT /app run\nCMD [\"ignored\"]\n").as_deref(),
            Some("/app run")
        );
        assert_eq!(start("FROM x\nRUN make\n"), None);
    }

    #[test]
    fn env_forms() {
        let dockerfile = Dockerfile::parse(
            b"FROM x\nENV NODE_ENV=production PORT=\"8080\"\nENV LOG_LEVEL info\n# ENV NO=1\n",
        );
        let env = dockerfile.env();
        let names: Vec<(&str, &str)> = env
            .iter()
            .map(|(n, v, _)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("NODE_ENV", "production"),
                ("PORT", "8080"),
                ("LOG_LEVEL", "info")
            ]
        );
    }
}
