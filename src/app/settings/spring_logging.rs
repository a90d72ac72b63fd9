//! Spring Boot's logging configuration: logback.xml / logback-spring.xml and
//! log4j2.xml / log4j2-spring.xml. An appender that writes a file (logback's
//! `FileAppender` and `RollingFileAppender`, Spring Boot's included `FILE` appender,
//! log4j2's `<File>` and `<RollingFile>`) is a production log target when a logger
//! references it outside a `<springProfile>` block named for development or tests.

use super::{Context, Framework, Key, Setting};
use std::sync::LazyLock;

const FILES: &[&str] = &[
    "logback.xml",
    "logback-spring.xml",
    "log4j2.xml",
    "log4j2-spring.xml",
];

/// Whether the walk keeps this logging configuration (the role check excludes tests).
pub fn is_logging_file(rel: &str) -> bool {
    FILES.contains(&rel.rsplit('/').next().unwrap_or(rel))
}

static APPENDER: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(
        r#"<(?:appender\b[^>]*\bclass\s*=\s*"[\w.$]*?(?P<class>RollingFileAppender|FileAppender)"|(?P<tag>RollingFile|RollingRandomAccessFile|File)\b)[^>]*>"#,
    )
});
static NAME: LazyLock<regex::Regex> =
    LazyLock::new(|| crate::checks::regex(r#"\bname\s*=\s*"([^"]+)""#));
static REF: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(r#"<(?:appender-ref|AppenderRef)\b[^>]*\bref\s*=\s*"([^"]+)""#)
});
static PROFILE: LazyLock<regex::Regex> = LazyLock::new(|| {
    crate::checks::regex(
        r#"(?s)<springProfile\b[^>]*\bname\s*=\s*"([^"]*)"[^>]*>.*?</springProfile>"#,
    )
});

pub fn resolve(ctx: &Context, development: impl Fn(&str) -> bool) -> Vec<Setting> {
    let mut out = Vec::new();
    for (file, bytes) in ctx.files(is_logging_file) {
        let text = without_comments(&String::from_utf8_lossy(bytes));
        // Spans of `<springProfile>` blocks active only in development or tests.
        let skipped: Vec<(usize, usize)> = PROFILE
            .captures_iter(&text)
            .filter(|c| {
                c[1].split(',')
                    .map(str::trim)
                    .all(|p| !p.starts_with('!') && development(p))
            })
            .map(|c| {
                let m = c.get(0).expect("match");
                (m.start(), m.end())
            })
            .collect();
        let used: Vec<&str> = REF
            .captures_iter(&text)
            .filter(|c| {
                let at = c.get(0).expect("match").start();
                !skipped.iter().any(|(s, e)| (*s..*e).contains(&at))
            })
            .map(|c| c.get(1).expect("group").as_str())
            .collect();
        for caps in APPENDER.captures_iter(&text) {
            let tag = caps.get(0).expect("match");
            let Some(name) = NAME.captures(tag.as_str()).map(|c| c[1].to_string()) else {
                continue;
            };
            if !used.contains(&name.as_str()) {
                continue;
            }
            let kind = caps
                .name("class")
                .or(caps.name("tag"))
                .map_or("", |m| m.as_str());
            let span = file_element(&text, tag.end()).unwrap_or((tag.start(), tag.end()));
            out.push(target(file, span, &format!("{kind} `{name}`")));
        }
        // Spring Boot's own file appender, included by resource and named FILE.
        if let Some(at) = text.find("logback/file-appender.xml")
            && used.contains(&"FILE")
        {
            out.push(target(
                file,
                (at, at + "logback/file-appender.xml".len()),
                "Spring Boot's file appender `FILE`",
            ));
        }
    }
    out
}

fn target(file: &str, span: (usize, usize), appender: &str) -> Setting {
    Setting {
        key: Key::LogTargets,
        framework: Framework::Spring,
        value: appender.to_string(),
        file: file.to_string(),
        span,
        variable: None,
        local: true,
        detail: format!("a log file ({appender})"),
    }
}

/// The span of a logback appender's `<file>` value, the line that names the log file
/// (where `log-to-file` reports it too), from the end of the appender's start tag.
fn file_element(text: &str, from: usize) -> Option<(usize, usize)> {
    let body = &text[from..];
    let body = &body[..body.find("</appender>")?];
    let start = body.find("<file>")? + "<file>".len();
    let end = start + body[start..].find("</file>")?;
    Some((from + start, from + end))
}

/// The text with `<!-- ... -->` blanked, offsets kept.
fn without_comments(text: &str) -> String {
    let mut out = text.to_string();
    let mut from = 0;
    while let Some(start) = out[from..].find("<!--").map(|i| from + i) {
        let end = out[start..]
            .find("-->")
            .map_or(out.len(), |i| start + i + 3);
        let blank: String = out[start..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        out.replace_range(start..end, &blank);
        from = start + blank.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::with_context;
    use super::*;

    fn found(name: &str, xml: &str) -> Vec<String> {
        with_context(&[(name, xml)], &[], |ctx| {
            resolve(ctx, |p| p == "dev" || p == "local")
                .into_iter()
                .map(|s| s.value)
                .collect()
        })
    }

    #[test]
    fn file_appenders_production_uses() {
        let xml = r#"<configuration>
  <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender"/>
  <appender name="ROLLING" class="ch.qos.logback.core.rolling.RollingFileAppender">
    <rollingPolicy><fileNamePattern>logs/app-%d.log</fileNamePattern></rollingPolicy>
  </appender>
  <appender name="DEVFILE" class="ch.qos.logback.core.FileAppender"><file>dev.log</file></appender>
  <!-- <appender name="OLD" class="ch.qos.logback.core.FileAppender"/> -->
  <springProfile name="dev, local">
    <root><appender-ref ref="DEVFILE"/></root>
  </springProfile>
  <root level="INFO">
    <appender-ref ref="CONSOLE"/>
    <appender-ref ref="ROLLING"/>
    <appender-ref ref="OLD"/>
  </root>
</configuration>
"#;
        assert_eq!(
            found("src/main/resources/logback-spring.xml", xml),
            ["RollingFileAppender `ROLLING`"]
        );
        let boot = "<configuration>\n  <include resource=\"org/springframework/boot/logging/logback/file-appender.xml\"/>\n  <root><appender-ref ref=\"FILE\"/></root>\n</configuration>\n";
        assert_eq!(found("src/main/resources/logback.xml", boot).len(), 1);
        let log4j = "<Configuration><Appenders><Console name=\"Out\"/><RollingFile name=\"Roll\" fileName=\"logs/app.log\"/></Appenders><Loggers><Root><AppenderRef ref=\"Out\"/></Root></Loggers></Configuration>\n";
        assert!(found("src/main/resources/log4j2.xml", log4j).is_empty());
    }
}
