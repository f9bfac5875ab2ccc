// Shapes: B samples, C channels, P positions per channel (H·W), M competitions (rows), O units.

/// The kernels of a convolutional Hebbian block's device epoch: the block's input batch norm
/// (`BatchNorm.forward` in training mode: batch statistics, running statistics, normalisation)
/// and the per-unit reductions over many competitions (a convolution has B·P of them per batch),
/// which split the rows into chunks instead of looping over all of them in one thread per unit.
extension KernelSources {
    /// Kernel entry points of `convolution`.
    static let convolutionNames = [
        "hebb_bn_statistics", "hebb_bn_running", "hebb_bn_normalise", "hebb_decay_chunks", "hebb_tally_chunks",
    ]

    /// Columns of one tile of the chunked reductions (`HEBB_TILE_COLUMNS`).
    public static let chunkColumns = 32
    /// Rows of one chunk of the chunked reductions (`HEBB_CHUNK_ROWS`).
    public static let chunkRows = 256

    static let convolution = """
        // Block-wide sum of a double: warp sums by shuffles, then the HEBB_THREADS / 32 warp sums in
        // order; every thread gets the result. All threads of the block must call it; scratch holds
        // HEBB_THREADS / 32 doubles.
        __device__ double hebb_block_sum_double(double v, double* scratch) {
            for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_down_sync(0xffffffffu, v, offset);
            if (threadIdx.x % 32 == 0) scratch[threadIdx.x / 32] = v;
            __syncthreads();
            double total = 0.0;
            for (int w = 0; w < HEBB_THREADS / 32; ++w) total += scratch[w];
            __syncthreads();
            return total;
        }
        // *address += value for a double through compare-and-swap (atomicAdd on doubles needs sm_60).
        __device__ void hebb_atomic_add_double(double* address, double value) {
            unsigned long long* bits = (unsigned long long*)address;
            unsigned long long old = *bits, assumed;
            do {
                assumed = old;
                double sum = __longlong_as_double((long long)assumed) + value;
                old = atomicCAS(bits, assumed, (unsigned long long)__double_as_longlong(sum));
            } while (assumed != old);
        }
        // BatchNorm.forward (training): channel c's sums over batch and positions in double, one
        // block per channel; stats[c] = mean, stats[channels + c] = biased variance max(0, E[x^2] - mean^2).
        // x is (B, C*P), channel-major rows.
        extern "C" __global__ void hebb_bn_statistics(const float* x, int batch, int channels, int positions, double* stats) {
            __shared__ double scratch[HEBB_THREADS / 32];
            int c = blockIdx.x; if (c >= channels) return;
            long long total = (long long)batch * positions;
            double s = 0.0, s2 = 0.0;
            for (long long i = threadIdx.x; i < total; i += blockDim.x) {
                long long b = i / positions, p = i - b * positions;
                double v = (double)x[(b * channels + c) * positions + p];
                s += v; s2 += v * v;
            }
            s = hebb_block_sum_double(s, scratch);
            s2 = hebb_block_sum_double(s2, scratch);
            if (threadIdx.x == 0) {
                double n = (double)total, mean = s / n, biased = s2 / n - mean * mean;
                stats[c] = mean; stats[channels + c] = biased > 0.0 ? biased : 0.0;
            }
        }
        // BatchNorm.forward's running statistics, one thread per channel: running[c] (mean) and
        // running[channels + c] (variance) move by momentum towards the batch mean and the unbiased
        // variance v*count/(count - 1). __fmul_rn/__fadd_rn round as the host does (no FMA contraction).
        extern "C" __global__ void hebb_bn_running(const double* stats, int channels, int count, float momentum, float* running) {
            int c = blockIdx.x * blockDim.x + threadIdx.x; if (c >= channels) return;
            double n = (double)count;
            float keep = 1.0f - momentum;
            float unbiased = (float)(stats[channels + c] * n / (n - 1.0));
            running[c] = __fadd_rn(__fmul_rn(keep, running[c]), __fmul_rn(momentum, (float)stats[c]));
            running[channels + c] = __fadd_rn(__fmul_rn(keep, running[channels + c]), __fmul_rn(momentum, unbiased));
        }
        // BatchNorm.forward's normalisation with batch statistics: y = (x - mean_c) * (1 / sqrt(var_c + eps))
        // for x, y (B, C*P) channel-major rows; y may be x. Grid-stride, 64-bit indices.
        extern "C" __global__ void hebb_bn_normalise(const float* x, int batch, int channels, int positions,
                                                     const double* stats, float eps, float* y) {
            long long total = (long long)batch * channels * positions;
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x) {
                int c = (int)((i / positions) % channels);
                float inverse = 1.0f / sqrtf((float)stats[channels + c] + eps);
                y[i] = (x[i] - (float)stats[c]) * inverse;
            }
        }
        // The chunked per-unit reductions: a block is HEBB_TILE_COLUMNS columns x HEBB_ROW_LANES row
        // lanes (256 threads); block b covers column tile b % tiles and rows [chunk*HEBB_CHUNK_ROWS,
        // +HEBB_CHUNK_ROWS) of chunk b / tiles. Lanes meet in shared memory, then one atomic add per
        // column and block.
        #define HEBB_TILE_COLUMNS 32
        #define HEBB_ROW_LANES 8
        #define HEBB_CHUNK_ROWS 256
        // HebbianDelta's decay over many competitions: decay[c] += sum_m y[m,c]*u[m,c] (hebb_decay by
        // row chunks). decay must be zero before the launch.
        extern "C" __global__ void hebb_decay_chunks(const float* y, const float* u, int rows, int cols, float* decay) {
            __shared__ float partial[HEBB_THREADS];
            int tiles = (cols + HEBB_TILE_COLUMNS - 1) / HEBB_TILE_COLUMNS;
            int tile = blockIdx.x % tiles, chunk = blockIdx.x / tiles;
            int column = tile * HEBB_TILE_COLUMNS + threadIdx.x % HEBB_TILE_COLUMNS, lane = threadIdx.x / HEBB_TILE_COLUMNS;
            long long first = (long long)chunk * HEBB_CHUNK_ROWS, last = first + HEBB_CHUNK_ROWS < rows ? first + HEBB_CHUNK_ROWS : rows;
            float s = 0.0f;
            if (column < cols)
                for (long long r = first + lane; r < last; r += HEBB_ROW_LANES) s += y[r * cols + column] * u[r * cols + column];
            partial[threadIdx.x] = s; __syncthreads();
            if (lane == 0 && column < cols) {
                float total = 0.0f;
                for (int l = 0; l < HEBB_ROW_LANES; ++l) total += partial[l * HEBB_TILE_COLUMNS + threadIdx.x];
                atomicAdd(&decay[column], total);
            }
        }
        // hebb_tally by row chunks: signal mass and current statistics per unit, 5 doubles per unit
        // (sum max(y,0), sum max(-y,0), sum u, sum u^2, #(u > 0)), added into tally.
        extern "C" __global__ void hebb_tally_chunks(const float* y, const float* u, int rows, int cols, double* tally) {
            __shared__ double partial[5 * HEBB_THREADS];
            int tiles = (cols + HEBB_TILE_COLUMNS - 1) / HEBB_TILE_COLUMNS;
            int tile = blockIdx.x % tiles, chunk = blockIdx.x / tiles;
            int column = tile * HEBB_TILE_COLUMNS + threadIdx.x % HEBB_TILE_COLUMNS, lane = threadIdx.x / HEBB_TILE_COLUMNS;
            long long first = (long long)chunk * HEBB_CHUNK_ROWS, last = first + HEBB_CHUNK_ROWS < rows ? first + HEBB_CHUNK_ROWS : rows;
            double pos = 0.0, neg = 0.0, sum = 0.0, sq = 0.0, cnt = 0.0;
            if (column < cols)
                for (long long r = first + lane; r < last; r += HEBB_ROW_LANES) {
                    float s = y[r * cols + column]; float v = u[r * cols + column];
                    if (s > 0.0f) pos += s; else neg -= s;
                    sum += v; sq += (double)v * v; if (v > 0.0f) cnt += 1.0;
                }
            partial[threadIdx.x] = pos; partial[HEBB_THREADS + threadIdx.x] = neg; partial[2 * HEBB_THREADS + threadIdx.x] = sum;
            partial[3 * HEBB_THREADS + threadIdx.x] = sq; partial[4 * HEBB_THREADS + threadIdx.x] = cnt;
            __syncthreads();
            if (lane == 0 && column < cols) {
                for (int k = 0; k < 5; ++k) {
                    double total = 0.0;
                    for (int l = 0; l < HEBB_ROW_LANES; ++l) total += partial[k * HEBB_THREADS + l * HEBB_TILE_COLUMNS + threadIdx.x];
                    hebb_atomic_add_double(&tally[5 * column + k], total);
                }
            }
        }

        """
}
