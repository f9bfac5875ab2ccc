/// The CUDA C kernels of the device backend, compiled at run time by NVRTC (one program).
///
/// Every kernel mirrors a host kernel (named in its comment) and takes plain pointers and ints;
/// `LaunchConfiguration` chooses its grid. Block-wide reductions assume `blockDim.x == 256`.
public enum KernelSources {
    /// Threads per block of every kernel.
    public static let threadsPerBlock = 256

    /// Kernel entry points, in the order `CUDABackend` resolves them.
    public static let names = [
        "hebb_gather_rows", "hebb_signed_power", "hebb_soft_wta", "hebb_ranking_signal", "hebb_decay",
        "hebb_subtract_decay", "hebb_max_abs", "hebb_update", "hebb_radii", "hebb_adaptive_rates", "hebb_tally",
        "hebb_unfold",
    ] + convolutionNames + classifierNames + forwardNames

    /// The program's source.
    public static let program = header + wta + ranking + delta + update + unfold + convolution + classifier + forward

    static let header = """
        // hebb device kernels (generated from Swift strings; see HebbCUDA/KernelSources.swift)
        #define HEBB_THREADS 256
        #define HEBB_INF __int_as_float(0x7f800000)  // NVRTC compiles without math.h: no INFINITY macro
        // Block-wide max of v; every thread gets the result. scratch holds HEBB_THREADS floats.
        __device__ float hebb_block_max(float v, float* scratch) {
            scratch[threadIdx.x] = v; __syncthreads();
            for (int s = HEBB_THREADS / 2; s > 0; s >>= 1) {
                if (threadIdx.x < s) scratch[threadIdx.x] = fmaxf(scratch[threadIdx.x], scratch[threadIdx.x + s]);
                __syncthreads();
            }
            float r = scratch[0]; __syncthreads(); return r;
        }
        __device__ float hebb_block_sum(float v, float* scratch) {
            scratch[threadIdx.x] = v; __syncthreads();
            for (int s = HEBB_THREADS / 2; s > 0; s >>= 1) {
                if (threadIdx.x < s) scratch[threadIdx.x] += scratch[threadIdx.x + s];
                __syncthreads();
            }
            float r = scratch[0]; __syncthreads(); return r;
        }
        // Block-wide (value desc, index asc) best pair: the arg-max with the lowest index on ties.
        __device__ void hebb_block_argmax(float* v, int* i, float* sv, int* si) {
            sv[threadIdx.x] = *v; si[threadIdx.x] = *i; __syncthreads();
            for (int s = HEBB_THREADS / 2; s > 0; s >>= 1) {
                if (threadIdx.x < s) {
                    float ov = sv[threadIdx.x + s]; int oi = si[threadIdx.x + s];
                    if (ov > sv[threadIdx.x] || (ov == sv[threadIdx.x] && oi < si[threadIdx.x])) {
                        sv[threadIdx.x] = ov; si[threadIdx.x] = oi;
                    }
                }
                __syncthreads();
            }
            *v = sv[0]; *i = si[0]; __syncthreads();
        }
        // out[r, :] = src[idx[offset + r], :]; grid-stride over rows * cols.
        extern "C" __global__ void hebb_gather_rows(const float* src, const int* idx, int offset, int rows, int cols, float* out) {
            long long total = (long long)rows * cols;
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x) {
                long long r = i / cols, c = i - r * cols;
                out[i] = src[(long long)idx[offset + r] * cols + c];
            }
        }
        // Kernels.signedPower
        extern "C" __global__ void hebb_signed_power(const float* x, int n, float p, float* out) {
            for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
                float v = x[i];
                out[i] = p == 1.0f ? v : (p == 2.0f ? v * fabsf(v) : (v < 0.0f ? -powf(-v, p) : powf(v, p)));
            }
        }

        """

    static let wta = """
        // Kernels.softWinnerTakeAllRows: one block per row. y = softmax(t*u); with anti, every entry
        // but the arg-max of u is negated (SoftHebb's softkrotov).
        extern "C" __global__ void hebb_soft_wta(const float* u, int rows, int cols, float t, int anti, float* y) {
            __shared__ float sv[HEBB_THREADS]; __shared__ int si[HEBB_THREADS];
            int r = blockIdx.x; if (r >= rows) return;
            const float* ur = u + (long long)r * cols; float* yr = y + (long long)r * cols;
            float best = -HEBB_INF, low = HEBB_INF; int bi = cols;
            for (int c = threadIdx.x; c < cols; c += blockDim.x) {
                float v = ur[c];
                if (v > best || (v == best && c < bi)) { best = v; bi = c; }
                low = fminf(low, v);
            }
            float lowest = -hebb_block_max(-low, sv);
            hebb_block_argmax(&best, &bi, sv, si);
            float m = t >= 0.0f ? t * best : t * lowest;
            float part = 0.0f;
            for (int c = threadIdx.x; c < cols; c += blockDim.x) {
                float z = t * ur[c] - m; float e = z < -87.0f ? 0.0f : expf(z);
                yr[c] = e; part += e;
            }
            float total = hebb_block_sum(part, sv);
            float scale = anti ? -1.0f / total : 1.0f / total;
            for (int c = threadIdx.x; c < cols; c += blockDim.x) {
                float v = yr[c] * scale;
                yr[c] = (anti && c == bi) ? -v : v;
            }
        }

        """

    static let ranking = """
        // Kernels.topKRows + KrotovHopfield: one block per row; k rounds of a block arg-max, each over
        // the entries ranked after the previous pick in (value desc, index asc) order. y = +1 at the
        // top unit, -delta at the k-th, 0 elsewhere.
        extern "C" __global__ void hebb_ranking_signal(const float* u, int rows, int cols, int k, float delta, float* y) {
            __shared__ float sv[HEBB_THREADS]; __shared__ int si[HEBB_THREADS];
            int r = blockIdx.x; if (r >= rows) return;
            const float* ur = u + (long long)r * cols; float* yr = y + (long long)r * cols;
            for (int c = threadIdx.x; c < cols; c += blockDim.x) yr[c] = 0.0f;
            float pv = HEBB_INF; int pi = -1; int top = 0;
            for (int round = 0; round < k; ++round) {
                float best = -HEBB_INF; int bi = cols;
                for (int c = threadIdx.x; c < cols; c += blockDim.x) {
                    float v = ur[c];
                    bool after = v < pv || (v == pv && c > pi);
                    if (after && (v > best || (v == best && c < bi))) { best = v; bi = c; }
                }
                hebb_block_argmax(&best, &bi, sv, si);
                if (round == 0) top = bi;
                pv = best; pi = bi;
            }
            __syncthreads();
            if (threadIdx.x == 0) { yr[top] += 1.0f; if (pi >= 0 && pi < cols) yr[pi] -= delta; }
        }

        """

    static let delta = """
        // HebbianDelta, the parts GEMM does not cover: decay[c] = sum_m y[m,c]*u[m,c] (one thread per unit).
        extern "C" __global__ void hebb_decay(const float* y, const float* u, int rows, int cols, float* decay) {
            int c = blockIdx.x * blockDim.x + threadIdx.x; if (c >= cols) return;
            float s = 0.0f;
            for (int r = 0; r < rows; ++r) s += y[(long long)r * cols + c] * u[(long long)r * cols + c];
            decay[c] = s;
        }
        // d[c, j] -= decay[c] * w[c, j]
        extern "C" __global__ void hebb_subtract_decay(float* d, const float* decay, const float* w, int units, int fanIn) {
            long long total = (long long)units * fanIn;
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x)
                d[i] -= decay[i / fanIn] * w[i];
        }
        // Kernels.maxAbsolute: block maxima combined with atomicMax on the bits (non-negative floats
        // order like unsigned ints). *out must be zero before the launch.
        extern "C" __global__ void hebb_max_abs(const float* x, int n, unsigned int* out) {
            __shared__ float sv[HEBB_THREADS];
            float m = 0.0f;
            for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) m = fmaxf(m, fabsf(x[i]));
            m = hebb_block_max(m, sv);
            if (threadIdx.x == 0) atomicMax(out, __float_as_uint(m));
        }
        // Signal mass and current statistics per unit, 5 doubles per unit (one thread per unit).
        extern "C" __global__ void hebb_tally(const float* y, const float* u, int rows, int cols, double* tally) {
            int c = blockIdx.x * blockDim.x + threadIdx.x; if (c >= cols) return;
            double pos = 0.0, neg = 0.0, sum = 0.0, sq = 0.0, cnt = 0.0;
            for (int r = 0; r < rows; ++r) {
                float s = y[(long long)r * cols + c]; float v = u[(long long)r * cols + c];
                if (s > 0.0f) pos += s; else neg -= s;
                sum += v; sq += (double)v * v; if (v > 0.0f) cnt += 1.0;
            }
            tally[5 * c] += pos; tally[5 * c + 1] += neg; tally[5 * c + 2] += sum; tally[5 * c + 3] += sq; tally[5 * c + 4] += cnt;
        }

        """

    static let update = """
        // HebbianDelta.apply: w[c, j] += rate_c / (max + 1e-30) * d[c, j]; rates == 0 means the scalar rate.
        extern "C" __global__ void hebb_update(float* w, const float* d, const float* maxAbs, const float* rates, float rate, int units, int fanIn) {
            float inverse = 1.0f / (maxAbs[0] + 1e-30f);
            long long total = (long long)units * fanIn;
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x) {
                float eta = rates ? rates[i / fanIn] : rate;
                w[i] += eta * inverse * d[i];
            }
        }
        // Kernels.normsRows: radii[c] = ||w_c||_p, one block per unit.
        extern "C" __global__ void hebb_radii(const float* w, int units, int fanIn, float p, float* radii) {
            __shared__ float sv[HEBB_THREADS];
            int c = blockIdx.x; if (c >= units) return;
            float s = 0.0f;
            for (int j = threadIdx.x; j < fanIn; j += blockDim.x) {
                float v = fabsf(w[(long long)c * fanIn + j]);
                s += p == 2.0f ? v * v : (p == 1.0f ? v : (p == 3.0f ? v * v * v : powf(v, p)));
            }
            s = hebb_block_sum(s, sv);
            if (threadIdx.x == 0) radii[c] = p == 2.0f ? sqrtf(s) : (p == 1.0f ? s : powf(s, 1.0f / p));
        }
        // LearningRateSchedule.radiusAdaptive
        extern "C" __global__ void hebb_adaptive_rates(const float* radii, int units, float base, float power, float* rates) {
            int c = blockIdx.x * blockDim.x + threadIdx.x; if (c >= units) return;
            rates[c] = base * powf(fabsf(radii[c] - 1.0f) + 1e-10f, power);
        }

        """

    static let unfold = """
        // Tensor.unfold (im2col): row b*P + oy*outW + ox, column ci*k*k + ky*k + kx holds pixel
        // (ci, oy*s + ky*d - pad, ox*s + kx*d - pad) of sample b; reflect mirrors (-1 -> 1, H -> H-2),
        // zeros reads 0. One thread per patch entry, grid-stride.
        __device__ int hebb_reflect(int i, int n) { if (i < 0) i = -i; if (i >= n) i = 2 * n - 2 - i; return i; }
        extern "C" __global__ void hebb_unfold(const float* x, int batch, int channels, int height, int width,
                                               int kernel, int stride, int padding, int dilation, int reflect,
                                               int outH, int outW, float* patches) {
            int kk = kernel * kernel; int cols = channels * kk; int positions = outH * outW;
            long long total = (long long)batch * positions * cols;
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x) {
                long long row = i / cols; int col = (int)(i - row * cols);
                int b = (int)(row / positions); int pos = (int)(row - (long long)b * positions);
                int oy = pos / outW, ox = pos - oy * outW;
                int ci = col / kk, rem = col - ci * kk, ky = rem / kernel, kx = rem - ky * kernel;
                int iy = oy * stride + ky * dilation - padding, ix = ox * stride + kx * dilation - padding;
                float v = 0.0f;
                if (reflect) { iy = hebb_reflect(iy, height); ix = hebb_reflect(ix, width); }
                if (iy >= 0 && iy < height && ix >= 0 && ix < width)
                    v = x[(((long long)b * channels + ci) * height + iy) * width + ix];
                patches[i] = v;
            }
        }

        """
}
