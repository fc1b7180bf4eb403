import Foundation

extension RunConfiguration {
    /// Types `document` and, when it names a `data` file, reads it with the one CSV reader (``CSVDataset``): the
    /// model's `input_dim` becomes the file's feature count and `output_dim` at least its class count, unless the
    /// document sets them — then they must fit the file.
    public static func resolve(document: ConfigValue, labels: [String: String] = [:]) throws(ConfigurationError)
        -> (RunConfiguration, CSVDataset?) {
        let configuration = try RunConfiguration(document: document, labels: labels)
        guard let path = configuration.data else { return (configuration, nil) }
        let label = labels["data"] ?? "data"
        let url = URL(fileURLWithPath: path)
        let dataset: CSVDataset
        do { dataset = try CSVDataset(contentsOf: url) } catch { throw .invalid(key: label, reason: error.description) }
        var fitted = document
        let classes = max(dataset.classes, 2)
        switch document.value(at: "model.input_dim") {
        case nil, .null?: fitted = fitted.setting(.integer(dataset.featureCount), at: "model.input_dim")
        default:
            guard configuration.model.inputDim == dataset.featureCount else {
                throw .invalid(key: labels["model.input_dim"] ?? "model.input_dim",
                               reason: "is \(configuration.model.inputDim) but the data file has \(dataset.featureCount) feature columns")
            }
        }
        switch document.value(at: "model.output_dim") {
        case nil, .null?: fitted = fitted.setting(.integer(classes), at: "model.output_dim")
        default:
            guard configuration.model.outputDim >= dataset.classes else {
                throw .invalid(key: labels["model.output_dim"] ?? "model.output_dim",
                               reason: "is \(configuration.model.outputDim) but the data file has labels up to \(dataset.classes - 1)")
            }
        }
        return (try RunConfiguration(document: fitted, labels: labels), dataset)
    }
}
