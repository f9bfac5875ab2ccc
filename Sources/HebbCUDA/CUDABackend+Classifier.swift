import HebbTensor

// The BP classifier's kernels (KernelSources+Classifier.swift). Shapes: B rows, K classes.

extension CUDABackend {
    public func addBias(_ y: DeviceBuffer, bias: DeviceBuffer, rows: Int, columns: Int) throws {
        try launch("hebb_add_bias", .elementwise(count: rows * columns), [
            .pointer(y.address), .pointer(bias.address), .count(rows), .count(columns)])
    }

    public func applyDropout(_ x: DeviceBuffer, count: Int, mask: DeviceBuffer, wordOffset: Int, scale: Float) throws {
        let words = mask.address + UInt64(wordOffset * MemoryLayout<UInt32>.size)
        try launch("hebb_apply_dropout", .elementwise(count: count), [.pointer(x.address), .count(count), .pointer(words), .float(scale)])
    }

    public func softmaxCrossEntropy(
        _ logits: DeviceBuffer, rows: Int, classes: Int, labels: DeviceBuffer, indices: DeviceBuffer, offset: Int,
        gradient: DeviceBuffer, totals: DeviceBuffer, batchLosses: DeviceBuffer?, batch: Int
    ) throws {
        // One block: the batch's loss and correct count are reduced in it and added once.
        try launch("hebb_cross_entropy", .perRow(rows: rows > 0 ? 1 : 0), [
            .pointer(logits.address), .count(rows), .count(classes), .pointer(labels.address), .pointer(indices.address),
            .count(offset), .pointer(gradient.address), .pointer(totals.address), .pointer(batchLosses?.address ?? 0), .count(batch)])
    }

    public func columnSums(_ x: DeviceBuffer, rows: Int, columns: Int, into out: DeviceBuffer) throws {
        try launch("hebb_column_sums", .perColumn(columns: columns), [.pointer(x.address), .count(rows), .count(columns), .pointer(out.address)])
    }

    public func adamStep(
        _ parameters: DeviceBuffer, gradient: DeviceBuffer, firstMoments: DeviceBuffer, secondMoments: DeviceBuffer,
        count: Int, coefficients k: AdamCoefficients
    ) throws {
        try launch("hebb_adam", .elementwise(count: count), [
            .pointer(parameters.address), .pointer(gradient.address), .pointer(firstMoments.address),
            .pointer(secondMoments.address), .count(count), .float(k.beta1), .float(k.beta2), .float(k.epsilon),
            .float(k.stepSize), .float(k.root)])
    }
}
