// JPEG decoding and encoding through libjpeg(-turbo), wrapped so that no libjpeg type reaches
// Swift and a corrupt file can never end the process.
//
// libjpeg reports fatal errors through error_exit, which by default prints and calls exit().
// Swift cannot use setjmp/longjmp, so these C functions install an error manager that jumps
// back here and return a status code with the library's message instead. This module provides
// no stable API beyond HebbData.
#ifndef CJPEGSHIM_H
#define CJPEGSHIM_H

#include <stddef.h>

/// Status codes of the functions below.
enum {
    HEBB_JPEG_OK = 0,
    /// libjpeg rejected the data (not a JPEG, bad marker, unsupported colour conversion, ...).
    HEBB_JPEG_CORRUPT = 1,
    /// The data ended before the image did ("Premature end of JPEG file").
    HEBB_JPEG_TRUNCATED = 2,
    /// The header announces more pixels than the caller allows.
    HEBB_JPEG_TOO_LARGE = 3,
    /// malloc failed.
    HEBB_JPEG_OUT_OF_MEMORY = 4,
    /// Bad arguments (empty input, unsupported component count).
    HEBB_JPEG_INVALID_ARGUMENT = 5,
};

/// Decodes a whole JPEG held in memory to 8-bit RGB, interleaved row-major (H, W, 3).
///
/// Grayscale images are replicated to three channels; CMYK/YCCK images are converted the way
/// Pillow converts them (Adobe-inverted CMYK, then R = (255−K) − C·(255−K)/255). On success
/// `*pixels` holds `*width * *height * 3` bytes to release with `hebb_jpeg_free`. Images with
/// more than `max_pixels` pixels are refused before anything is allocated. On failure
/// `*pixels` is NULL and `message` (if non-NULL) holds a NUL-terminated reason.
int hebb_jpeg_decode_rgb(
    const unsigned char *data, size_t size, size_t max_pixels, unsigned char **pixels,
    int *width, int *height, char *message, size_t message_size);

/// Encodes interleaved 8-bit pixels (H, W, components; components 1 = gray, 3 = RGB) as a
/// baseline JPEG of the given quality (1–100) without chroma subsampling. On success `*jpeg`
/// holds `*jpeg_size` bytes to release with `hebb_jpeg_free`.
int hebb_jpeg_encode(
    const unsigned char *pixels, int width, int height, int components, int quality,
    unsigned char **jpeg, size_t *jpeg_size, char *message, size_t message_size);

/// Releases a buffer returned by the functions above (NULL is ignored).
void hebb_jpeg_free(void *buffer);

#endif
