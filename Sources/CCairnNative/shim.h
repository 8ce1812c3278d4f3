// C entry points CairnKit needs that Swift's Glibc module does not expose: OpenSSL's SHA-256 (libcrypto,
// which uses the CPU's SHA extensions), zlib's deflate and inflate (the system's libz: `cairn archive`'s
// gzip), Linux's sync_file_range, and statfs's file system type.
#ifndef CCAIRN_NATIVE_SHIM_H
#define CCAIRN_NATIVE_SHIM_H
#include <openssl/evp.h>
#include <zlib.h>

/// deflateInit2 and inflateInit2 are macros (they pass the library's version and the stream's size).
static inline int cairn_deflate_init_gzip(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
static inline int cairn_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}

#ifdef __linux__
// Declared here rather than through <fcntl.h>, which hides it unless _GNU_SOURCE is set (and setting
// it would give this module different definitions of the system's structs than Glibc's).
extern int sync_file_range(int fd, long long offset, long long nbytes, unsigned int flags);
#endif

/// Starts write-back of a byte range of a file without waiting for it (Linux); 0 elsewhere.
static inline int cairn_start_writeback(int fd, long long offset, long long length) {
#ifdef __linux__
    return sync_file_range(fd, offset, length, 2 /* SYNC_FILE_RANGE_WRITE */);
#else
    (void)fd; (void)offset; (void)length;
    return 0;
#endif
}

#ifdef __linux__
#include <sys/vfs.h>
#endif

/// The `f_type` magic number of the file system holding `path` (statfs), or -1 when it cannot be read.
static inline long long cairn_file_system_type(const char *path) {
#ifdef __linux__
    struct statfs info;
    if (statfs(path, &info) != 0) return -1;
    return (long long)(unsigned int)info.f_type;
#else
    (void)path;
    return -1;
#endif
}
#ifdef __linux__
// Hidden by <spawn.h> unless _GNU_SOURCE is set (glibc 2.29 and later), as sync_file_range above; the
// file actions are passed as an opaque pointer, so that this module does not define spawn.h's types.
extern int posix_spawn_file_actions_addchdir_np(void *actions, const char *path);
#endif

/// Makes a spawned process start in `path` (posix_spawn's file actions); ENOSYS where unsupported.
static inline int cairn_spawn_add_chdir(void *actions, const char *path) {
#ifdef __linux__
    return posix_spawn_file_actions_addchdir_np(actions, path);
#else
    (void)actions; (void)path;
    return 38;
#endif
}

#endif
