import Foundation
import Testing
@testable import MaxPPlot

@Suite("Scales")
struct ScaleTests {
    @Test("forward and inverse are inverse to each other", arguments: [Scale.linear, .log2, .log10])
    func roundTrip(scale: Scale) throws {
        for value in [0.001, 0.5, 1, 3, 64, 1e6] {
            let t = try #require(scale.forward(value))
            #expect(abs(scale.inverse(t) - value) <= 1e-12 * value)
        }
    }

    @Test("log scales give exact exponents and reject non-positive, NaN and infinite values")
    func logValues() {
        #expect(Scale.log2.forward(2048) == 11)
        #expect(Scale.log10.forward(0.001).map { abs($0 + 3) < 1e-12 } == true)
        for bad in [0, -1, Double.nan, .infinity, -.infinity] {
            #expect(Scale.log2.forward(bad) == nil)
            #expect(!Scale.log10.canPlot(bad))
        }
        #expect(Scale.linear.forward(-3) == -3)
        #expect(Scale.linear.forward(.nan) == nil)
    }

    @Test("clip replaces a non-positive lower bound on log scales only")
    func clip() {
        #expect(Scale.log2.clip(0...64) == 1...64)
        #expect(Scale.log10.clip(-5...10).lowerBound > 0)
        #expect(Scale.linear.clip(-5...10) == -5...10)
    }

    @Test("automatic ranges pad in transformed space and ignore unplottable values")
    func autoRange() {
        let axis = Axis(scale: .log2, padding: 0.1)
        let range = axis.resolvedRange(for: [64, 0, .nan, 1024, -3])
        // log2 extent 6…10, padded by 0.4 on each side.
        #expect(abs(log2(range.lowerBound) - 5.6) < 1e-12)
        #expect(abs(log2(range.upperBound) - 10.4) < 1e-12)
        #expect(Axis().resolvedRange(for: [3, 3]) == 2...4)
        #expect(Axis(scale: .log10).resolvedRange(for: [0, .nan]) == 1...10)
        #expect(Axis(range: 0...5).resolvedRange(for: [100]) == 0...5)
    }
}

@Suite("Tick locators and formatters")
struct TickTests {
    @Test("log2 ticks for 64…2048 are the powers 2^6…2^11")
    func log2Ticks() {
        let ticks = LogTickLocator(base: 2).ticks(in: 64...2048, maximumCount: 10)
        #expect(ticks == [64, 128, 256, 512, 1024, 2048])
        #expect(PowerFormatter(base: 2).labels(for: ticks) == ["2^6", "2^7", "2^8", "2^9", "2^10", "2^11"])
        #expect(PowerFormatter(base: 2, showsExponent: false).labels(for: ticks)
            == ["64", "128", "256", "512", "1024", "2048"])
        #expect(Scale.log2.defaultFormatter.label(for: 0.125) == "2^-3")
    }

    @Test("log ticks are thinned to regular exponents when too many fit")
    func logThinning() {
        let ticks = LogTickLocator(base: 2).ticks(in: pow(2, -20)...pow(2, 20), maximumCount: 6)
        #expect(ticks.count <= 6 && ticks.count >= 2)
        let exponents = ticks.map { Int(log2($0)) }
        let steps = Set(zip(exponents, exponents.dropFirst()).map { $1 - $0 })
        #expect(steps.count == 1)  // evenly spaced
        #expect(exponents.allSatisfy { $0 % steps.first! == 0 })  // multiples of the stride (… 2^-8, 2^0, 2^8 …)
        #expect(exponents.contains(0))
    }

    @Test("a log range narrower than two powers falls back to nice linear ticks")
    func narrowLogRange() {
        let ticks = LogTickLocator(base: 2).ticks(in: 1.1...1.9, maximumCount: 8)
        #expect(ticks.count >= 2)
        #expect(ticks.allSatisfy { (1.1...1.9).contains($0) })
        #expect(PowerFormatter(base: 2).labels(for: [1.2, 1.4, 1.6, 1.8]) == ["1.2", "1.4", "1.6", "1.8"])
    }

    @Test("a log10 range with few decades gets 1-2-5 ticks written as plain numbers")
    func fewDecades() {
        let ticks = LogTickLocator(base: 10).ticks(in: 0.03...0.5, maximumCount: 6)
        #expect(ticks.map { ($0 * 100).rounded() } == [5, 10, 20, 50])
        #expect(PowerFormatter(base: 10).labels(for: ticks) == ["0.05", "0.1", "0.2", "0.5"])
        #expect(LogTickLocator(base: 10).ticks(in: 0.03...0.5, maximumCount: 12).count == 12)  // 0.03…0.09, 0.1…0.5
    }

    @Test("linear ticks are nice numbers inside the range")
    func linearTicks() {
        let locator = LinearTickLocator()
        #expect(locator.ticks(in: 0...1, maximumCount: 6) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(locator.ticks(in: 0.93...1.97, maximumCount: 6).map { ($0 * 10).rounded() } == [10, 12, 14, 16, 18])
        #expect(locator.ticks(in: -7.3...12.1, maximumCount: 5) == [-5, 0, 5, 10])
        #expect(locator.ticks(in: 0...1000, maximumCount: 3) == [0, 500, 1000])
        for ticks in [locator.ticks(in: 3.3...88.8, maximumCount: 7), locator.ticks(in: -0.004...0.031, maximumCount: 8)] {
            #expect(ticks.count <= 8 && ticks.count >= 2)
        }
    }

    @Test("plain labels share one precision and trim zeros")
    func plainLabels() {
        let formatter = PlainNumberFormatter()
        #expect(formatter.labels(for: [0, 0.5, 1, 1.5]) == ["0.0", "0.5", "1.0", "1.5"])
        #expect(formatter.labels(for: [0, 500, 1000]) == ["0", "500", "1000"])
        #expect(formatter.labels(for: [-0.25, 0, 0.25]) == ["-0.25", "0.00", "0.25"])
        #expect(formatter.label(for: 0.5) == "0.5")
        #expect(formatter.label(for: 2e-5) == "2e-5")
        #expect(formatter.label(for: 1234567) == "1.235e6")
    }

    @Test("scientific labels are compact", arguments: [
        (0.001, "1e-3", "10^-3"), (2500.0, "2.5e3", "2.5×10^3"), (1.0, "1e0", "10^0"), (-0.02, "-2e-2", "-2×10^-2"),
    ])
    func scientific(value: Double, eNotation: String, power: String) {
        #expect(ScientificFormatter().label(for: value) == eNotation)
        #expect(ScientificFormatter(style: .power).label(for: value) == power)
    }

    @Test("superscripts are parsed from ^ only when an exponent follows")
    func richText() {
        let runs = RichText.parse("2^-3 and x^2y z^ ^")
        #expect(runs.map(\.text) == ["2", "\u{2212}3", " and x", "2y", " z^ ^"])
        #expect(runs.map(\.isSuperscript) == [false, true, false, true, false])
        #expect(RichText.parse("plain").map(\.text) == ["plain"])
    }
}

@Suite("Palette and colour maps")
struct PaletteTests {
    @Test("categorical colours are pairwise distinct")
    func categorical() {
        let colors = (0..<10).map(Palette.categorical.color(at:))
        for i in colors.indices {
            for j in colors.indices where j > i {
                let c = colors[i], d = colors[j]
                #expect(abs(c.red - d.red) + abs(c.green - d.green) + abs(c.blue - d.blue) > 0.15)
            }
        }
        #expect(Palette.categorical.color(at: 10) == Palette.categorical.color(at: 0))
    }

    @Test("the diverging map is white-ish at the centre, blue below and red above")
    func diverging() {
        let heat = HeatMap(values: [[-2, 0, 1]], rowLabels: ["r"], columnLabels: ["a", "b", "c"])
        #expect(heat.resolvedLimit == 2)
        let zero = heat.color(for: 0), negative = heat.color(for: -2), positive = heat.color(for: 2)
        #expect(zero.red > 0.9 && zero.green > 0.9 && zero.blue > 0.9)
        #expect(negative.blue > negative.red + 0.3)
        #expect(positive.red > positive.blue + 0.3)
        #expect(heat.color(for: 100) == positive)  // saturates
        let steps = Palette.sampled(from: .coolwarm, count: 5).colors
        #expect(steps.count == 5 && steps.first!.blue > steps.last!.blue)
    }
}
