// See include/CJPEGShim.h. Every libjpeg call below runs under a setjmp established in the same
// function, so a fatal libjpeg error unwinds to it instead of calling exit().
#include "CJPEGShim.h"

#include <limits.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

/// libjpeg's error manager extended with a jump target, the formatted message of the fatal
/// error, and whether a "premature end of file" warning was seen.
struct hebb_error_manager {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    int truncated;
    char text[JMSG_LENGTH_MAX];
};

static void hebb_error_exit(j_common_ptr info) {
    struct hebb_error_manager *manager = (struct hebb_error_manager *)info->err;
    (*info->err->format_message)(info, manager->text);
    longjmp(manager->jump, 1);
}

/// Warnings are not printed; a premature end of data is remembered because libjpeg pads the
/// missing part with gray and carries on, while Pillow refuses such a file.
static void hebb_emit_message(j_common_ptr info, int level) {
    struct hebb_error_manager *manager = (struct hebb_error_manager *)info->err;
    if (level < 0) {
        if (info->err->msg_code == JWRN_JPEG_EOF) manager->truncated = 1;
        info->err->num_warnings++;
    }
}

static void hebb_output_message(j_common_ptr info) { (void)info; }

static void hebb_install(struct hebb_error_manager *manager) {
    jpeg_std_error(&manager->base);
    manager->base.error_exit = hebb_error_exit;
    manager->base.emit_message = hebb_emit_message;
    manager->base.output_message = hebb_output_message;
    manager->truncated = 0;
    manager->text[0] = '\0';
}

static void hebb_set_message(char *message, size_t message_size, const char *text) {
    if (message != NULL && message_size > 0) snprintf(message, message_size, "%s", text);
}

/// Pillow's CMYK → RGB for one row: Adobe JPEGs store inverted CMYK, Pillow reads them as
/// "CMYK;I" and converts with R = nk − nk·C/255 (nk = 255 − K), in its MULDIV255 rounding.
static void hebb_cmyk_row_to_rgb(const unsigned char *cmyk, unsigned char *rgb, int width) {
    for (int x = 0; x < width; x++) {
        int nk = cmyk[4 * x + 3];  // 255 − K, since K is stored inverted
        for (int c = 0; c < 3; c++) {
            int value = 255 - cmyk[4 * x + c];
            int product = value * nk + 128;
            int scaled = ((product >> 8) + product) >> 8;
            int out = nk - scaled;
            rgb[3 * x + c] = (unsigned char)(out < 0 ? 0 : (out > 255 ? 255 : out));
        }
    }
}

int hebb_jpeg_decode_rgb(
    const unsigned char *data, size_t size, size_t max_pixels, unsigned char **pixels,
    int *width, int *height, char *message, size_t message_size) {
    *pixels = NULL;
    *width = 0;
    *height = 0;
    if (data == NULL || size == 0 || size > ULONG_MAX) {
        hebb_set_message(message, message_size, "empty input");
        return HEBB_JPEG_INVALID_ARGUMENT;
    }
    struct jpeg_decompress_struct info;
    struct hebb_error_manager manager;
    // Written after setjmp and read after longjmp, so volatile.
    unsigned char *volatile output = NULL;
    unsigned char *volatile row = NULL;
    info.err = &manager.base;
    hebb_install(&manager);
    if (setjmp(manager.jump)) {
        jpeg_destroy_decompress(&info);
        free(output);
        free(row);
        hebb_set_message(message, message_size, manager.text);
        return HEBB_JPEG_CORRUPT;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_read_header(&info, TRUE);
    int cmyk = info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK;
    info.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    size_t w = info.image_width, h = info.image_height;
    if (w == 0 || h == 0 || w > max_pixels / h) {
        char text[128];
        snprintf(text, sizeof text, "%zu×%zu pixels exceed the limit of %zu", w, h, max_pixels);
        jpeg_destroy_decompress(&info);
        hebb_set_message(message, message_size, text);
        return HEBB_JPEG_TOO_LARGE;
    }
    jpeg_start_decompress(&info);
    output = malloc(w * h * 3);
    if (cmyk) row = malloc(w * 4);
    if (output == NULL || (cmyk && row == NULL)) {
        jpeg_destroy_decompress(&info);
        free(output);
        free(row);
        hebb_set_message(message, message_size, "out of memory");
        return HEBB_JPEG_OUT_OF_MEMORY;
    }
    while (info.output_scanline < info.output_height) {
        unsigned char *target = output + (size_t)info.output_scanline * w * 3;
        JSAMPROW rows[1] = {cmyk ? row : target};
        if (jpeg_read_scanlines(&info, rows, 1) != 1) break;
        if (cmyk) hebb_cmyk_row_to_rgb(row, target, (int)w);
    }
    jpeg_finish_decompress(&info);
    int truncated = manager.truncated || info.output_scanline < info.output_height;
    jpeg_destroy_decompress(&info);
    free(row);
    if (truncated) {
        free(output);
        hebb_set_message(message, message_size, "premature end of JPEG data (the file is truncated)");
        return HEBB_JPEG_TRUNCATED;
    }
    *pixels = output;
    *width = (int)w;
    *height = (int)h;
    return HEBB_JPEG_OK;
}

int hebb_jpeg_encode(
    const unsigned char *pixels, int width, int height, int components, int quality,
    unsigned char **jpeg, size_t *jpeg_size, char *message, size_t message_size) {
    *jpeg = NULL;
    *jpeg_size = 0;
    if (pixels == NULL || width <= 0 || height <= 0 || (components != 1 && components != 3)) {
        hebb_set_message(message, message_size, "need 1 or 3 components and a positive size");
        return HEBB_JPEG_INVALID_ARGUMENT;
    }
    struct jpeg_compress_struct info;
    struct hebb_error_manager manager;
    unsigned char *volatile buffer = NULL;
    unsigned long buffer_size = 0;
    info.err = &manager.base;
    hebb_install(&manager);
    if (setjmp(manager.jump)) {
        jpeg_destroy_compress(&info);
        free(buffer);
        hebb_set_message(message, message_size, manager.text);
        return HEBB_JPEG_CORRUPT;
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, (unsigned char **)&buffer, &buffer_size);
    info.image_width = (JDIMENSION)width;
    info.image_height = (JDIMENSION)height;
    info.input_components = components;
    info.in_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    for (int c = 0; c < info.num_components; c++) {
        info.comp_info[c].h_samp_factor = 1;
        info.comp_info[c].v_samp_factor = 1;
    }
    jpeg_start_compress(&info, TRUE);
    while (info.next_scanline < info.image_height) {
        JSAMPROW rows[1] = {(JSAMPROW)(pixels + (size_t)info.next_scanline * (size_t)width * (size_t)components)};
        jpeg_write_scanlines(&info, rows, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    *jpeg = buffer;
    *jpeg_size = buffer_size;
    return HEBB_JPEG_OK;
}

void hebb_jpeg_free(void *buffer) { free(buffer); }
