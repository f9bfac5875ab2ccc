import HebbTensor
