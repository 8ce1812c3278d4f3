// CRC-32C (Castagnoli) with the CPU's CRC32 instruction where there is one (x86-64 SSE 4.2).
#ifndef CCRC32C_H
#define CCRC32C_H
#include <stddef.h>
#include <stdint.h>

/// 1 when cairn_crc32c_update uses the CPU's instruction, 0 when the caller must use its own code.
int cairn_crc32c_hardware(void);

/// Continues a CRC-32C over `length` bytes: `crc` and the result are the pre- and post-inverted
/// register (start from 0, as for a fresh checksum). Only call it when cairn_crc32c_hardware() is 1.
uint32_t cairn_crc32c_update(uint32_t crc, const void *data, size_t length);
#endif
