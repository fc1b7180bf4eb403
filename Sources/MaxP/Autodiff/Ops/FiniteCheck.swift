/// A guard against NaN and infinity in values that must be finite (losses, above all).
extension Variable {
    /// Returns `self` if every element is finite; otherwise throws ``NumericError/nonFinite(op:shape:context:nanCount:infinityCount:)``
    /// naming this variable's call site and shape. `context` says what the caller was doing, e.g. `"loss at step 12"`.
    @discardableResult
    public func checkedFinite(_ context: String = "") throws(NumericError) -> Variable {
        let x = value
        if x.isFinite { return self }
        var nans = 0, infinities = 0
        x.scalars.withUnsafeBufferPointer { p in
            for v in p {
                if v.isNaN { nans += 1 } else if v.isInfinite { infinities += 1 }
            }
        }
        throw NumericError.nonFinite(
            op: site, shape: x.shape, context: context, nanCount: nans, infinityCount: infinities)
    }
}
