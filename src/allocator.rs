//! The process's allocator tuning: big buffers go back to the system as soon as they are freed.

/// Has glibc map every allocation of 128 KiB or more on its own, so that freeing it returns
/// the memory. Left alone, glibc raises that threshold to the largest block freed so far (up to
/// 32 MiB), and from then on response bodies, encoded cache values and sled's write buffers are
/// carved from per-thread heaps that keep the space: a cold export of 100000 holders peaked at
/// 57 MB instead of 39. `main` calls it first; on other platforms it does nothing.
pub fn return_big_buffers_when_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const MAPPED_FROM_BYTES: libc::c_int = 128 * 1024;
        // SAFETY: mallopt only sets an allocator tunable, which glibc allows at any time; a
        // refusal (0) leaves the default behaviour, which is correct, only bigger.
        #[allow(unsafe_code)]
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MAPPED_FROM_BYTES);
        }
    }
}
