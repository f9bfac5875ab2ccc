import HebbModel
import HebbText
import HebbVisual

/// What a training run draws besides its checkpoints, driven by `Experiment`'s events:
///
/// - `pictures/b<i>-epoch<NNN>.png`: the weight mosaic of every Hebbian block a phase trains,
///   after each of its epochs (NNN is the epoch within the phase);
/// - `pictures/metrics.png`: the metric plots, redrawn at the end of every phase;
/// - `tensorboard/events.out.tfevents.*`: per epoch the scalars of the epoch record, and for the
///   trained Hebbian blocks a weight histogram (`b<i>/weights`) and the mosaic
///   (`b<i>/weight_mosaic`); the step is the run's epoch count (the metrics.jsonl line).
///
/// Every file is written atomically; nothing is written unless enabled.
struct RunVisuals {
    let store: RunStore
    let model: ResolvedModel
    let pictures: Bool, tensorBoard: Bool
    /// The metrics so far (for the plots).
    private var records: [EpochRecord]
    /// Opened at the first event, so a run that fails early leaves no empty event file.
    private var board: TensorBoardLog?

    /// Visuals of the run in `store`; `records` are the metrics already on disk (a resumed run).
    init(store: RunStore, model: ResolvedModel, pictures: Bool, tensorBoard: Bool, records: [EpochRecord]) {
        (self.store, self.model, self.pictures, self.tensorBoard, self.records) = (store, model, pictures, tensorBoard, records)
    }

    /// The file name of block `block`'s mosaic after `epoch`.
    static func pictureName(block: Int, epoch: Int) -> String { cFormat("b%d-epoch%03d.png", block, epoch) }

    /// After an epoch's record was appended to metrics.jsonl as line `step`.
    mutating func epochEnded(_ record: EpochRecord, step: Int) throws {
        records.append(record)
        if tensorBoard {
            let hebbian = record.blocks.last { model.blocks.indices.contains($0) && model.blocks[$0].config.layer.kind.isHebbian }
            try openBoard().append(TensorBoardLog.scalars(of: record, hebbianBlock: hebbian), step: step)
        }
    }

    /// After epoch `epoch` of `phase`, with the trained `network`.
    mutating func epochCheckpoint(network: Model, phase: Phase, epoch: Int, step: Int) throws {
        guard pictures || tensorBoard else { return }
        var values: [SummaryValue] = []
        for index in phase.blocks.sorted() where network.blocks.indices.contains(index) && network.blocks[index].hebbianLayer != nil {
            guard let weight = WeightPictures.weight(ofBlock: index, in: network) else { continue }
            let image = WeightPictures.mosaic(of: weight, block: model.blocks[index])
            let png = try PNGEncoder.encode(image)
            if pictures {
                try AtomicFile.write(png, to: store.picturesFolder.appendingPathComponent(RunVisuals.pictureName(block: index, epoch: epoch)))
            }
            guard tensorBoard else { continue }
            values.append(.histogram(tag: "b\(index)/weights", Histogram(values: weight.scalars)))
            values.append(.image(tag: "b\(index)/weight_mosaic", png: [UInt8](png), width: image.width, height: image.height, channels: image.channels))
        }
        if tensorBoard { try openBoard().append(values, step: step) }
    }

    /// After a phase's last epoch.
    func phaseEnded() throws {
        guard pictures else { return }
        try AtomicFile.write(PNGEncoder.encode(MetricPlots.sheet(records)), to: store.picturesFolder.appendingPathComponent("metrics.png"))
    }

    private mutating func openBoard() throws -> TensorBoardLog {
        if let board { return board }
        let opened = try TensorBoardLog(folder: store.tensorBoardFolder)
        board = opened
        return opened
    }
}
