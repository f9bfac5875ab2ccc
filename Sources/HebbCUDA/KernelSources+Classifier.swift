// Shapes: B rows, K classes, F features.

extension KernelSources {
    /// Kernel entry points of the BP classifier (dropout → linear → cross-entropy → Adam).
    static let classifierNames = [
        "hebb_add_bias", "hebb_apply_dropout", "hebb_cross_entropy", "hebb_column_sums", "hebb_adam",
    ]

    /// Each kernel mirrors the `CPUBackend` method of the same purpose (named in its comment),
    /// which is the host layer's arithmetic. Indices into large buffers are long long.
    static let classifier = """
        // Block-wide sum of doubles, valid in thread 0 only: warp shuffles, then thread 0 adds the
        // HEBB_THREADS / 32 warp sums. Every thread of the block must call it; scratch holds
        // HEBB_THREADS / 32 doubles and may be reused after the call.
        __device__ double hebb_classifier_block_sum(double v, double* scratch) {
            for (int lane = 16; lane > 0; lane >>= 1) v += __shfl_down_sync(0xffffffffu, v, lane);
            if ((threadIdx.x & 31) == 0) scratch[threadIdx.x >> 5] = v;
            __syncthreads();
            double total = 0.0;
            if (threadIdx.x == 0) for (int w = 0; w < HEBB_THREADS / 32; ++w) total += scratch[w];
            __syncthreads();
            return total;
        }
        // CPUBackend.addBias (Linear.forward): y[r, c] += bias[c]; grid-stride over rows * cols.
        extern "C" __global__ void hebb_add_bias(float* y, const float* bias, int rows, int cols) {
            long long total = (long long)rows * cols;
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x)
                y[i] += bias[i % cols];
        }
        // CPUBackend.applyDropout (Dropout.forward with Dropout.keepMask's bits): x[i] *= scale when
        // bit i % 32 of mask[i / 32] is set, else x[i] *= 0; mask already points at the batch's first word.
        extern "C" __global__ void hebb_apply_dropout(float* x, int n, const unsigned int* mask, float scale) {
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) {
                unsigned int kept = (mask[i >> 5] >> (unsigned int)(i & 31)) & 1u;
                x[i] *= kept ? scale : 0.0f;
            }
        }
        // CPUBackend.softmaxCrossEntropy (CrossEntropy.evaluate): one block; each thread takes rows
        // r = threadIdx.x + j * blockDim.x. Row r's class is labels[idx[offset + r]]. Softmax as
        // Kernels.softmaxRows (row max subtracted, e^z below e^-87 taken as 0, times 1/sum), the
        // gradient (p - onehot) * (1/rows), the loss log-sum-exp in double, arg-max the first
        // largest. Thread 0 adds (double)(float)(mean loss) * rows and the correct count to totals
        // (two doubles) and stores the float mean at batchLosses[batch] when batchLosses is not null.
        extern "C" __global__ void hebb_cross_entropy(const float* logits, int rows, int classes, const int* labels,
                                                      const int* idx, int offset, float* grad, double* totals,
                                                      float* batchLosses, int batch) {
            __shared__ double sd[HEBB_THREADS / 32];
            double loss = 0.0, correct = 0.0;
            float inverseRows = 1.0f / (float)rows;
            for (int r = threadIdx.x; r < rows; r += blockDim.x) {
                const float* z = logits + (long long)r * classes; float* g = grad + (long long)r * classes;
                int label = labels[idx[offset + r]];
                float top = z[0]; int best = 0;
                for (int c = 1; c < classes; ++c) if (z[c] > top) { top = z[c]; best = c; }
                float total = 0.0f; double sum = 0.0;
                for (int c = 0; c < classes; ++c) {
                    float d = z[c] - top; float e = d < -87.0f ? 0.0f : expf(d);
                    g[c] = e; total += e;
                    sum += exp((double)z[c] - (double)top);
                }
                float scale = 1.0f / total;
                for (int c = 0; c < classes; ++c) g[c] = (g[c] * scale - (c == label ? 1.0f : 0.0f)) * inverseRows;
                if (label >= 0 && label < classes) loss += (double)top + log(sum) - (double)z[label];
                if (best == label) correct += 1.0;
            }
            loss = hebb_classifier_block_sum(loss, sd);
            correct = hebb_classifier_block_sum(correct, sd);
            if (threadIdx.x == 0) {
                float mean = (float)(loss / (double)rows);
                totals[0] += (double)mean * (double)rows;
                totals[1] += correct;
                if (batchLosses) batchLosses[batch] = mean;
            }
        }
        // CPUBackend.columnSums (Tensor.sum(alongAxis: 0)): out[c] = sum_r x[r, c] in row order, one thread per column.
        extern "C" __global__ void hebb_column_sums(const float* x, int rows, int cols, float* out) {
            int c = blockIdx.x * blockDim.x + threadIdx.x; if (c >= cols) return;
            float s = 0.0f;
            for (int r = 0; r < rows; ++r) s += x[(long long)r * cols + c];
            out[c] = s;
        }
        // CPUBackend.adamStep (Adam.step): m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
        // p -= stepSize * m / (sqrt(v) / root + eps); grid-stride.
        extern "C" __global__ void hebb_adam(float* p, const float* g, float* m, float* v, int n, float b1, float b2,
                                             float eps, float stepSize, float root) {
            for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) {
                float gi = g[i];
                float mi = b1 * m[i] + (1.0f - b1) * gi;
                float vi = b2 * v[i] + (1.0f - b2) * gi * gi;
                m[i] = mi; v[i] = vi;
                p[i] -= stepSize * mi / (sqrtf(vi) / root + eps);
            }
        }

        """
}
