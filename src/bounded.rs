//! Reads that cannot run away, whatever a file or a mount claims: every read stops at a
//! cap (procfs reports size 0 for `/proc/<pid>/pagemap`, which never ends; a file may
//! grow while it is read), a named pipe, socket or device is never read (opened without
//! blocking, then checked on the open handle, so a file swapped for a FIFO after the
//! walk saw it is caught too), and the walk does not cross into other file systems.

use std::io::Read as _;
use std::path::Path;

/// What reading a file gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Capped {
    Bytes(Vec<u8>),
    /// More than the cap: nothing is kept.
    TooLarge,
    /// Not a regular file (a FIFO, socket or device).
    Special,
}

/// Reads at most `max` bytes of the regular file at `path`.
pub fn read(path: &Path, max: u64) -> std::io::Result<Capped> {
    let file = open(path)?;
    let meta = file.metadata()?;
    if !meta.file_type().is_file() {
        return Ok(Capped::Special);
    }
    if meta.len() > max {
        return Ok(Capped::TooLarge);
    }
    // The reported size is only a hint: read in whole blocks (some kernel files refuse
    // reads of other sizes) until the end or past the cap.
    let hint = usize::try_from(meta.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(hint.min(usize::try_from(max).unwrap_or(usize::MAX)));
    let mut block = vec![0; BLOCK];
    let mut file = file;
    loop {
        let n = match file.read(&mut block) {
            Ok(0) => return Ok(Capped::Bytes(bytes)),
            Ok(n) => n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if (bytes.len() + n) as u64 > max {
            return Ok(Capped::TooLarge);
        }
        bytes.extend_from_slice(&block[..n]);
    }
}

/// The size of each read.
const BLOCK: usize = 64 * 1024;

/// Reads a small file the scan consults (a sibling, the config): `None` when it cannot
/// be read, is not a regular file or is larger than `max`.
pub fn read_small(path: &Path, max: u64) -> Option<Vec<u8>> {
    match read(path, max) {
        Ok(Capped::Bytes(bytes)) => Some(bytes),
        _ => None,
    }
}

#[cfg(unix)]
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    // Without O_NONBLOCK, opening a FIFO waits for a writer, forever.
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// Where a folder lies, to tell when the walk reaches another file system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Device(u64);

impl Device {
    /// The device of a file's metadata (`None` where the platform does not say).
    pub fn of(meta: &std::fs::Metadata) -> Option<Device> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            Some(Device(meta.dev()))
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }
}

/// Where a folder met by the walk lies, against the scanned root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mount {
    /// On the root's file system, or crossing is allowed.
    Enter,
    /// Another file system, and `--one-file-system` (the default) keeps out.
    Other,
    /// A kernel pseudo file system: never entered from outside.
    Pseudo,
}

/// Whether the walk enters the folder at `path` (its metadata `meta`) from a root on
/// device `root`. Only a folder on another device is looked at more closely, so the
/// cost is one `statfs` per mount point met.
pub fn mount(
    path: &Path,
    meta: &std::fs::Metadata,
    root: Option<Device>,
    one_file_system: bool,
) -> Mount {
    let Some(root) = root else {
        return Mount::Enter;
    };
    if Device::of(meta).is_none_or(|dev| dev == root) {
        return Mount::Enter;
    }
    if is_pseudo_file_system(path) {
        Mount::Pseudo
    } else if one_file_system {
        Mount::Other
    } else {
        Mount::Enter
    }
}

/// Whether the folder at `path` is a kernel pseudo file system (procfs, sysfs, devpts,
/// cgroup, debugfs...), whose files describe the running system, not a repository.
pub fn is_pseudo_file_system(path: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt as _;
        // Magic numbers of statfs(2)'s f_type, from linux/magic.h.
        const PSEUDO: &[u64] = &[
            0x9fa0,      // proc
            0x6265_6572, // sysfs
            0x1cd1,      // devpts
            0x6462_6720, // debugfs
            0x7472_6163, // tracefs
            0x7363_6673, // securityfs
            0x0027_e0eb, // cgroup
            0x6367_7270, // cgroup2
            0xcafe_4a11, // bpf
            0x6265_6570, // configfs
            0x6165_676c, // pstore
            0x1980_0202, // mqueue
            0x6573_5543, // fusectl
            0x4249_4e4d, // binfmt_misc
            0xde5e_81e4, // efivarfs
            0xf97c_ff8c, // selinuxfs
        ];
        let Ok(name) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
            return false;
        };
        let mut stats = std::mem::MaybeUninit::<libc::statfs>::uninit();
        // SAFETY: `name` is a NUL-terminated path and `stats` a buffer of the size
        // statfs writes; it is read only when the call succeeds.
        let ok = unsafe { libc::statfs(name.as_ptr(), stats.as_mut_ptr()) } == 0;
        if !ok {
            return false;
        }
        // SAFETY: statfs succeeded, so it filled `stats`.
        let kind = unsafe { stats.assume_init() }.f_type;
        // f_type is 32 or 64 bits wide, signed or not, depending on the architecture.
        PSEUDO.contains(&(kind as u64 & 0xffff_ffff))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = path;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(
            read(&path, 10).unwrap(),
            Capped::Bytes(b"0123456789".to_vec())
        );
        assert_eq!(read(&path, 9).unwrap(), Capped::TooLarge);
    }

    /// procfs reports size 0 for files that never end: the cap still applies.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_that_reports_size_zero_is_capped() {
        let path = Path::new("/proc/self/pagemap");
        let meta = std::fs::metadata(path).unwrap();
        assert_eq!(meta.len(), 0);
        assert_eq!(read(path, 100_000).unwrap(), Capped::TooLarge);
        let status = Path::new("/proc/self/status");
        assert!(matches!(read(status, 100_000).unwrap(), Capped::Bytes(b) if !b.is_empty()));
        assert!(is_pseudo_file_system(Path::new("/proc/self")));
        assert!(!is_pseudo_file_system(Path::new(env!(
            "CARGO_MANIFEST_DIR"
        ))));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_never_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pipe");
        let name = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        assert_eq!(read(&path, 100).unwrap(), Capped::Special);
    }
}
