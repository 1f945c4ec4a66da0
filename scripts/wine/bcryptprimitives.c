/*
 * bcryptprimitives.dll for Wine 8 (Debian 12), which has none: Rust's std
 * (and the getrandom crate) on Windows take random bytes from its
 * ProcessPrng. This one answers from RtlGenRandom (advapi32's
 * SystemFunction036), which Wine 8 has. Test use only: scripts/cross.sh
 * builds it with mingw-w64 into the Wine prefix's system32. Real Windows
 * (10 and later) has its own.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* Documented to always succeed; a failure here ends the process rather
 * than hand back bytes that are not random. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            ExitProcess(70);
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
