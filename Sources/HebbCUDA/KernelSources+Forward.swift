// Shapes: B samples, C channels, P positions per channel (H·W), O filters; a pool reads B·C
// planes of H×W and writes outH×outW per plane.

/// The kernels of the frozen blocks' evaluation-mode forward (`DeviceForward`): the layout change
/// after a convolution's sgemm, centred patches, the block activations and SoftHebb's pools. The norms (running
/// statistics), unfold, sgemm and bias are the other families' kernels.
extension KernelSources {
    /// Kernel entry points of `forward`.
    static let forwardNames = [
        "hebb_channels_first", "hebb_centre_rows", "hebb_pointwise_activation", "hebb_channel_activation", "hebb_pool",
    ]

    /// Side of the square tiles `hebb_channels_first` transposes through shared memory.
    public static let transposeTile = 32

    /// What `hebb_pointwise_activation` (every value) and `hebb_channel_activation` (every sample
    /// and position, across its channels) compute; the raw values are the kernels' `kind`.
    enum ActivationKind: Int32, CaseIterable {
        case identity, rectifiedPower, sigmoid, tanh, exponential, triangle, softmax, hardMax
    }

    /// The `#define HEBB_ACTIVATION_…` line of every kind.
    static let activationKindDefinitions = ActivationKind.allCases.map { kind in
        "#define HEBB_ACTIVATION_\(String(describing: kind).uppercased()) \(kind.rawValue)"
    }.joined(separator: "\n")

    static let forward = activationKindDefinitions + "\n" + """
        #define HEBB_TILE 32
        #define HEBB_FLT_MIN 1.17549435e-38f  // Float.leastNormalMagnitude
        // CPUBackend.channelsFirst (Tensor.channelsFirst): each sample's position rows (P, C) become
        // channel planes (C, P), out[b, c*P + p] = rows[b*P + p, c]. A block moves 32x32 tiles through
        // shared memory (32 columns x 8 row lanes; reads and writes coalesced), grid-stride over the
        // B * ceil(P/32) * ceil(C/32) tiles; 64-bit offsets.
        extern "C" __global__ void hebb_channels_first(const float* rows, int batch, int positions, int channels, float* out) {
            __shared__ float tile[HEBB_TILE][HEBB_TILE + 1];
            int tilesP = (positions + HEBB_TILE - 1) / HEBB_TILE, tilesC = (channels + HEBB_TILE - 1) / HEBB_TILE;
            long long perSample = (long long)tilesP * tilesC, total = (long long)batch * perSample;
            int lane = threadIdx.x % HEBB_TILE, first = threadIdx.x / HEBB_TILE, step = HEBB_THREADS / HEBB_TILE;
            for (long long t = blockIdx.x; t < total; t += gridDim.x) {
                long long b = t / perSample; int rem = (int)(t - b * perSample);
                int p0 = (rem / tilesC) * HEBB_TILE, c0 = (rem % tilesC) * HEBB_TILE;
                const float* from = rows + b * positions * (long long)channels;
                float* to = out + b * channels * (long long)positions;
                for (int j = first; j < HEBB_TILE; j += step) {
                    int p = p0 + j, c = c0 + lane;
                    if (p < positions && c < channels) tile[j][lane] = from[(long long)p * channels + c];
                }
                __syncthreads();
                for (int j = first; j < HEBB_TILE; j += step) {
                    int c = c0 + j, p = p0 + lane;
                    if (p < positions && c < channels) to[(long long)c * positions + p] = tile[lane][j];
                }
                __syncthreads();
            }
        }
        // Kernels.centreRows (HebbianLayer's center1): each row of x (M, N) minus its mean, the sum in
        // column order, one thread per row; grid-stride, 64-bit indices.
        extern "C" __global__ void hebb_centre_rows(float* x, int rows, int cols) {
            for (long long r = blockIdx.x * (long long)blockDim.x + threadIdx.x; r < rows; r += (long long)gridDim.x * blockDim.x) {
                float* row = x + r * cols;
                float sum = 0.0f;
                for (int j = 0; j < cols; ++j) sum += row[j];
                float mean = sum / (float)cols;
                for (int j = 0; j < cols; ++j) row[j] -= mean;
            }
        }
        // Kernels.rectifiedPower for one value: relu(v)^q; q = 1 and 2 exact (relu as Swift.max(v, 0)),
        // q = 0 a step, otherwise 0 below the smallest normal float and powf (NaN, +inf pass through).
        __device__ float hebb_rectified_power(float v, float q) {
            if (q == 1.0f) return 0.0f >= v ? 0.0f : v;
            if (q == 2.0f) { float r = 0.0f >= v ? 0.0f : v; return r * r; }
            if (q == 0.0f) return v > 0.0f ? 1.0f : 0.0f;
            return v < HEBB_FLT_MIN ? 0.0f : powf(v, q);
        }
        // ActivationFunction.apply, the element-wise cases: identity (a copy), relu / repu_q
        // (rectified power), sigmoid_b 1/(1 + e^(-b*v)), tanh(b*v), exp(t*v); x (B, C*P); y may be x.
        // Grid-stride, 64-bit indices.
        extern "C" __global__ void hebb_pointwise_activation(const float* x, int batch, int width, int kind, float parameter, float* y) {
            long long total = (long long)batch * width;
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x) {
                float v = x[i];
                if (kind == HEBB_ACTIVATION_RECTIFIEDPOWER) v = hebb_rectified_power(v, parameter);
                else if (kind == HEBB_ACTIVATION_SIGMOID) v = 1.0f / (1.0f + expf(__fmul_rn(-parameter, v)));
                else if (kind == HEBB_ACTIVATION_TANH) v = tanhf(__fmul_rn(parameter, v));
                else if (kind == HEBB_ACTIVATION_EXPONENTIAL) v = expf(__fmul_rn(parameter, v));
                y[i] = v;
            }
        }
        // ActivationFunction.apply, the channel-wise cases, one thread per (sample, position): the
        // C values at base + c*P. triangle_q: relu(v - mean)^q with the mean summed in channel order
        // and divided by C; softmax_t: e^(t*v - max) / sum (t*v not fused into the subtraction, as on
        // the host); hard: 1 at the first arg-max, 0 elsewhere. y may be x. Grid-stride, 64-bit indices.
        extern "C" __global__ void hebb_channel_activation(const float* x, int batch, int channels, int positions, int kind,
                                                           float parameter, float* y) {
            long long total = (long long)batch * positions;
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x) {
                long long b = i / positions;
                long long base = b * channels * (long long)positions + (i - b * positions);
                if (kind == HEBB_ACTIVATION_TRIANGLE) {
                    float mean = 0.0f;
                    for (int c = 0; c < channels; ++c) mean += x[base + (long long)c * positions];
                    mean /= (float)channels;
                    for (int c = 0; c < channels; ++c) {
                        long long j = base + (long long)c * positions;
                        y[j] = hebb_rectified_power(x[j] - mean, parameter);
                    }
                } else if (kind == HEBB_ACTIVATION_SOFTMAX) {
                    float m = -HEBB_INF, sum = 0.0f;
                    for (int c = 0; c < channels; ++c) { float v = __fmul_rn(parameter, x[base + (long long)c * positions]); m = v >= m ? v : m; }  // Swift.max(m, v)
                    for (int c = 0; c < channels; ++c) {
                        long long j = base + (long long)c * positions;
                        float e = expf(__fmul_rn(parameter, x[j]) - m);
                        y[j] = e; sum += e;
                    }
                    for (int c = 0; c < channels; ++c) y[base + (long long)c * positions] /= sum;
                } else if (kind == HEBB_ACTIVATION_HARDMAX) {
                    int best = 0; float top = x[base];
                    for (int c = 1; c < channels; ++c) { float v = x[base + (long long)c * positions]; if (v > top) { top = v; best = c; } }
                    for (int c = 0; c < channels; ++c) y[base + (long long)c * positions] = c == best ? 1.0f : 0.0f;
                }
            }
        }
        // Tensor.pooled (PoolPlan.maxPool, PoolPlan.averagePool), one thread per output of planes =
        // B*C planes: window [o*s - p, o*s - p + k) per axis clipped to the image (PoolGeometry.windowTable).
        // Max: padding is -inf, the largest image value in scan order (a NaN sticks). Average: column
        // sums over the window's rows, added column by column, times 1/(k*k) (count_include_pad: the
        // padded zeros count in the divisor). Grid-stride, 64-bit indices.
        extern "C" __global__ void hebb_pool(const float* x, int planes, int height, int width, int kernel, int stride, int padding,
                                             int outH, int outW, int average, float* y) {
            long long outputs = (long long)outH * outW, total = (long long)planes * outputs;
            float scale = 1.0f / (float)(kernel * kernel);
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x) {
                long long plane = i / outputs; int rem = (int)(i - plane * outputs);
                int oy = rem / outW, ox = rem - oy * outW;
                int top = oy * stride - padding, left = ox * stride - padding;
                int y0 = top > 0 ? top : 0, x0 = left > 0 ? left : 0;
                int y1 = top + kernel < height ? top + kernel : height, x1 = left + kernel < width ? left + kernel : width;
                const float* image = x + plane * height * (long long)width;
                if (average) {
                    float sum = 0.0f;
                    for (int c = x0; c < x1; ++c) {
                        float column = 0.0f;
                        for (int r = y0; r < y1; ++r) column += image[r * width + c];
                        sum += column;
                    }
                    y[i] = sum * scale;
                } else {
                    float best = -HEBB_INF;
                    for (int r = y0; r < y1; ++r)
                        for (int c = x0; c < x1; ++c) { float v = image[r * width + c]; if (v > best || v != v) best = v; }
                    y[i] = best;
                }
            }
        }

        """
}
