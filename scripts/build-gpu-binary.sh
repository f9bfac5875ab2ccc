#!/usr/bin/env bash
# Builds a release `hebb` to carry to a GPU machine that has no Swift: static Swift stdlib
# (FoundationEssentials, Dispatch, runtime), static OpenBLAS (+ the libgfortran/libquadmath it needs for
# LAPACK's ssyevd), static libjpeg and zlib. CUDA is not linked: it is dlopen'ed at run time
# (libcuda.so.1 from the driver, libcublas/libnvrtc .so.13 or .so.12 from the box's toolkit or
# HEBB_CUDA_LIB_DIR). Left dynamic: glibc (≥ 2.35), libstdc++ (GLIBCXX_3.4.30), libgcc_s, libm:
# Debian 12 / Ubuntu 22.04 or newer. Never -static-executable: dlopen from it segfaults.
#
# usage: scripts/build-gpu-binary.sh [OUT_DIR]      (default dist/; prints size and ldd; also OUT_DIR/hebb.gz)
# needs: libopenblas-dev (libopenblas.a), libgfortran-12-dev (libgfortran.a), libjpeg62-turbo-dev, zlib1g-dev
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist}
arch=$(uname -m)-linux-gnu
gccdir=$(dirname "$(gcc -print-libgcc-file-name 2>/dev/null || echo /usr/lib/gcc/$arch/12/libgcc.a)")

find_archive() {  # NAME HINT: the first existing archive, or a one-line error
    local name=$1 hint=$2 dir
    for dir in /usr/lib/$arch/openblas-pthread /usr/lib/$arch "$gccdir" /usr/lib/gcc/$arch/*; do
        [ -f "$dir/$name" ] && { echo "$dir/$name"; return; }
    done
    echo "error: $name not found in /usr/lib/$arch or $gccdir; hint: apt-get install $hint" >&2
    exit 1
}
openblas=$(find_archive libopenblas.a libopenblas-dev)
gfortran=$(find_archive libgfortran.a libgfortran-12-dev)
quadmath=$(find_archive libquadmath.a libgcc-12-dev)
jpeg=$(find_archive libjpeg.a libjpeg62-turbo-dev)
zlib=$(find_archive libz.a zlib1g-dev)

# The module maps say `link "openblas"`, `link "jpeg"`, `link "z"`. A folder searched first whose
# libNAME.so are linker scripts naming the archives makes those -l flags link statically.
static=.build/static-libs
mkdir -p "$static"
echo "GROUP ( $openblas $gfortran $quadmath -lpthread -lm )" > "$static/libopenblas.so"
echo "GROUP ( $jpeg )" > "$static/libjpeg.so"
echo "GROUP ( $zlib )" > "$static/libz.so"

swift build -c release --product hebb --static-swift-stdlib -Xlinker -L"$PWD/$static" 2>&1 | grep -v "^\[" || true
bin=$(swift build -c release --product hebb --static-swift-stdlib -Xlinker -L"$PWD/$static" --show-bin-path)/hebb
mkdir -p "$out"
cp "$bin" "$out/hebb"
strip "$out/hebb"
gzip -9 -c "$out/hebb" > "$out/hebb.gz"
echo "binary: $out/hebb ($(du -h "$out/hebb" | cut -f1), unstripped $(du -h "$bin" | cut -f1)); gzip: $out/hebb.gz ($(du -h "$out/hebb.gz" | cut -f1))"
# About 41 MB stripped (12 MB gzipped): hebb's modules import FoundationEssentials only, so
# neither FoundationInternationalization nor ICU's data (~30 MB) is linked (full Foundation made
# it 82 MB); static OpenBLAS is ~26 MB of it (every DYNAMIC_ARCH kernel).
if nm "$bin" | grep -q '30FoundationInternationalization'; then
    echo "error: $bin links FoundationInternationalization (and ICU): a module of hebb imports full Foundation; import FoundationEssentials" >&2
    exit 1
fi
echo "NEEDED:"; readelf -d "$out/hebb" | awk '/NEEDED/ {print "  " $NF}'
echo "ldd:"; ldd "$out/hebb" | sed 's/^/  /'
echo "glibc floor: $(objdump -T "$out/hebb" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1), $(objdump -T "$out/hebb" | grep -o 'GLIBCXX_[0-9.]*' | sort -uV | tail -1)"
if ldd "$out/hebb" | grep -Eq 'openblas|gfortran|jpeg|libz\.|swift|Foundation'; then
    echo "error: $out/hebb still needs a library the GPU box may lack (see ldd above)" >&2
    exit 1
fi
