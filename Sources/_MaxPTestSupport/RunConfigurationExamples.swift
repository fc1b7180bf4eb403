/// Run configurations the tests share, written as a user writes them.
public enum RunConfigurationExamples {
    /// The `train --config` example of the experiments issue, verbatim: an MLP with dynamic alignment re-solved every
    /// two steps after two warm-up steps, 12 steps in all.
    public static let issueYAML = """
        model: {name: mlp, width: 64, depth: 2, input_dim: 16, output_dim: 4}
        optimizer: {type: adam, lr_prefactor: 0.05}
        maxp: {parametrization: mup, alignment: full, dynamic: true, warmup_steps: 2, solve_interval: 2}
        steps: 12
        """
}
