//! The report's charts, each as PNG and SVG (plotters; text in DejaVu Sans, embedded, so a
//! chart looks the same on every machine): supply per deployment and in total against
//! reserves, daily mints and burns, and redemption age buckets.
use crate::{
    report::{Report, AGE_BUCKETS, TOTAL},
    IndexError,
};
use plotters::{
    coord::{types::RangedCoordf64, Shift},
    prelude::*,
};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Every chart's size in pixels (PNG) and user units (SVG).
pub const CHART_SIZE: (u32, u32) = (1200, 675);

const FONT: &str = "sans-serif";

fn register_font() {
    static REGISTERED: std::sync::Once = std::sync::Once::new();
    REGISTERED.call_once(|| {
        // DejaVu Sans is a valid TrueType font: registering it cannot fail.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
    });
}

fn chart_error(error: impl std::fmt::Display) -> String {
    error.to_string()
}

/// Token units for a person: 1,250 -> "1.25K", 3,400,000 -> "3.4M".
fn short_amount(value: f64) -> String {
    let magnitude = value.abs();
    let (scaled, suffix) = if magnitude >= 1e9 {
        (value / 1e9, "B")
    } else if magnitude >= 1e6 {
        (value / 1e6, "M")
    } else if magnitude >= 1e3 {
        (value / 1e3, "K")
    } else {
        (value, "")
    };
    let text = format!("{scaled:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}{suffix}")
}

/// Write the three charts as PNG and SVG into `directory`.
pub fn write_charts(report: &Report, directory: &Path) -> Result<Vec<PathBuf>, IndexError> {
    register_font();
    let mut written = Vec::new();
    for name in CHARTS {
        let failed = |error: String| IndexError::Malformed(format!("chart {name}: {error}"));
        let png = directory.join(format!("{name}.png"));
        {
            let root = BitMapBackend::new(&png, CHART_SIZE).into_drawing_area();
            draw(name, report, &root).map_err(failed)?;
            root.present().map_err(|error| failed(error.to_string()))?;
        }
        written.push(png);
        let svg = directory.join(format!("{name}.svg"));
        {
            let root = SVGBackend::new(&svg, CHART_SIZE).into_drawing_area();
            draw(name, report, &root).map_err(failed)?;
            root.present().map_err(|error| failed(error.to_string()))?;
        }
        written.push(svg);
    }
    Ok(written)
}

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A chart with the report's caption style and axis label areas, white background.
fn new_chart<'a, DB: DrawingBackend>(root: &'a DrawingArea<DB, Shift>, caption: String, x: Range<f64>, y: Range<f64>) -> Result<Chart<'a, DB>, String> {
    root.fill(&WHITE).map_err(chart_error)?;
    ChartBuilder::on(root).caption(caption, (FONT, 24)).margin(20).x_label_area_size(45).y_label_area_size(80).build_cartesian_2d(x, y).map_err(chart_error)
}

/// The grid and both axes' labels.
fn draw_axes<DB: DrawingBackend>(chart: &mut Chart<DB>, x_labels: usize, x_label: &dyn Fn(&f64) -> String, y_label: &dyn Fn(&f64) -> String, y_description: &str) -> Result<(), String> {
    chart
        .configure_mesh()
        .x_labels(x_labels)
        .x_label_formatter(x_label)
        .y_label_formatter(y_label)
        .y_desc(y_description)
        .label_style((FONT, 14))
        .draw()
        .map_err(chart_error)
}

/// The series' legend in a framed box.
fn draw_legend<'a, DB: DrawingBackend + 'a>(chart: &mut Chart<'a, DB>, position: SeriesLabelPosition) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    chart.configure_series_labels().position(position).label_font((FONT, 14)).background_style(WHITE.mix(0.85)).border_style(BLACK).draw().map_err(chart_error)
}

/// The charts, by file name (without extension).
pub const CHARTS: [&str; 3] = ["supply_vs_reserves", "daily_flows", "redemption_ages"];

fn draw<DB: DrawingBackend>(name: &str, report: &Report, root: &DrawingArea<DB, Shift>) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    match name {
        "supply_vs_reserves" => draw_supply(report, root),
        "daily_flows" => draw_flows(report, root),
        _ => draw_ages(report, root),
    }
}

fn tokens(report: &Report, units: u64) -> f64 {
    units as f64 / 10f64.powi(i32::from(report.decimals))
}

/// The label of the category at a whole x position ('' between categories).
fn label_at<T: std::fmt::Display>(labels: &[T], index: f64) -> String {
    let rounded = index.round();
    if (index - rounded).abs() > 1e-9 || rounded < 0.0 {
        return String::new();
    }
    labels.get(rounded as usize).map(ToString::to_string).unwrap_or_default()
}

fn date_label(report: &Report, index: f64) -> String {
    let dates: Vec<String> = report.days.iter().map(|day| day.date.format("%m-%d").to_string()).collect();
    label_at(&dates, index)
}

/// Distinct, print-safe colors for the deployments' lines.
/// (Green is the reserves' line, black the total's, red the short days'.)
const PALETTE: [RGBColor; 6] = [RGBColor(31, 119, 180), RGBColor(255, 127, 14), RGBColor(148, 103, 189), RGBColor(140, 86, 75), RGBColor(227, 119, 194), RGBColor(23, 190, 207)];

fn draw_supply<DB: DrawingBackend>(report: &Report, root: &DrawingArea<DB, Shift>) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let total = report.total_supply();
    let reserves: Vec<Option<f64>> = report.reserves.iter().map(|figure| figure.as_ref().map(|figure| tokens(report, figure.amount))).collect();
    let highest = total.iter().map(|units| tokens(report, *units)).chain(reserves.iter().flatten().copied()).fold(0.0, f64::max);
    let last = (report.days.len() as f64 - 1.0).max(1.0);
    let caption = format!("USD1 supply and reserves at each day's close, {} to {}", report.options.from, report.options.to);
    let mut chart = new_chart(root, caption, -0.5..last + 0.5, 0.0..(highest * 1.1).max(1.0))?;
    draw_axes(&mut chart, report.days.len().min(16), &|index| date_label(report, *index), &|value| short_amount(*value), "USD1")?;
    if report.deployments.len() > 1 {
        for (number, deployment) in report.deployments.iter().enumerate() {
            let color = PALETTE[number % PALETTE.len()];
            let points = deployment.days.iter().enumerate().map(|(index, flows)| (index as f64, tokens(report, flows.supply_at_close)));
            chart
                .draw_series(LineSeries::new(points, color.stroke_width(2)))
                .map_err(chart_error)?
                .label(format!("supply: {}", deployment.deployment.name))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
        }
    }
    chart
        .draw_series(LineSeries::new(total.iter().enumerate().map(|(index, units)| (index as f64, tokens(report, *units))), BLACK.stroke_width(3)))
        .map_err(chart_error)?
        .label(format!("supply: {}", if report.deployments.len() > 1 { "total" } else { report.deployments[0].deployment.name.as_str() }))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(3)));
    let reserve_color = RGBColor(0, 128, 0);
    let reserve_points: Vec<(f64, f64)> = reserves.iter().enumerate().filter_map(|(index, value)| value.map(|value| (index as f64, value))).collect();
    chart
        .draw_series(LineSeries::new(reserve_points.iter().copied(), reserve_color.stroke_width(3)))
        .map_err(chart_error)?
        .label("reserves")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], reserve_color.stroke_width(3)));
    let status = report.day_status();
    let short: Vec<(f64, f64)> =
        status.iter().enumerate().filter(|(_, status)| **status != "OK").map(|(index, _)| (index as f64, tokens(report, total[index]))).collect();
    if !short.is_empty() {
        chart
            .draw_series(short.iter().map(|point| Circle::new(*point, 7, RED.filled())))
            .map_err(chart_error)?
            .label("reserves below supply, or no reserves figure")
            .legend(|(x, y)| Circle::new((x + 10, y), 6, RED.filled()));
    }
    draw_legend(&mut chart, SeriesLabelPosition::LowerRight)?;
    Ok(())
}

fn draw_flows<DB: DrawingBackend>(report: &Report, root: &DrawingArea<DB, Shift>) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let days = report.days.len();
    let minted: Vec<f64> = (0..days).map(|index| tokens(report, report.deployments.iter().map(|deployment| deployment.days[index].minted).sum())).collect();
    let burned: Vec<f64> = (0..days)
        .map(|index| {
            let units: u64 = report
                .deployments
                .iter()
                .map(|deployment| {
                    let flows = &deployment.days[index];
                    flows.burned + flows.redeemed + flows.seized_burned + flows.unattributed_burned
                })
                .sum();
            tokens(report, units)
        })
        .collect();
    let top = minted.iter().copied().fold(0.0, f64::max).max(1.0) * 1.1;
    let bottom = burned.iter().copied().fold(0.0, f64::max) * 1.1;
    let caption = format!("USD1 minted and burned per day ({}), {} to {}", TOTAL.to_lowercase(), report.options.from, report.options.to);
    let mut chart = new_chart(root, caption, -0.5..days as f64 - 0.5, -bottom.max(top * 0.05)..top)?;
    draw_axes(&mut chart, days.min(16), &|index| date_label(report, *index), &|value| short_amount(*value), "USD1 (burns below zero)")?;
    let (mint_color, burn_color) = (RGBColor(44, 160, 44), RGBColor(214, 39, 40));
    chart
        .draw_series(minted.iter().enumerate().map(|(index, value)| Rectangle::new([(index as f64 - 0.35, 0.0), (index as f64 + 0.35, *value)], mint_color.filled())))
        .map_err(chart_error)?
        .label("minted")
        .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], mint_color.filled()));
    chart
        .draw_series(burned.iter().enumerate().map(|(index, value)| Rectangle::new([(index as f64 - 0.35, -*value), (index as f64 + 0.35, 0.0)], burn_color.filled())))
        .map_err(chart_error)?
        .label("burned, redeemed, seized and burned outside the program")
        .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], burn_color.filled()));
    draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    Ok(())
}

fn draw_ages<DB: DrawingBackend>(report: &Report, root: &DrawingArea<DB, Shift>) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let mut settled = [0u64; 4];
    let mut pending = [0u64; 4];
    for deployment in &report.deployments {
        deployment.settled_ages.iter().for_each(|age| settled[crate::report::age_bucket(*age)] += 1);
        deployment.pending_ages.iter().for_each(|age| pending[crate::report::age_bucket(*age)] += 1);
    }
    let top = settled.iter().chain(&pending).copied().max().unwrap_or(0).max(1) as f64 * 1.15;
    let caption = format!("Redemption requests by age in business days, {} to {}", report.options.from, report.options.to);
    let mut chart = new_chart(root, caption, -0.5..AGE_BUCKETS.len() as f64 - 0.5, 0.0..top)?;
    let whole = |value: &f64| if value.fract() == 0.0 { format!("{value:.0}") } else { String::new() };
    draw_axes(&mut chart, AGE_BUCKETS.len(), &|index| label_at(&AGE_BUCKETS, *index), &whole, "requests")?;
    let (settled_color, pending_color) = (RGBColor(31, 119, 180), RGBColor(255, 127, 14));
    chart
        .draw_series(settled.iter().enumerate().map(|(index, count)| Rectangle::new([(index as f64 - 0.38, 0.0), (index as f64 - 0.02, *count as f64)], settled_color.filled())))
        .map_err(chart_error)?
        .label("settled in the period, completed or rejected (age then)")
        .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], settled_color.filled()));
    chart
        .draw_series(pending.iter().enumerate().map(|(index, count)| Rectangle::new([(index as f64 + 0.02, 0.0), (index as f64 + 0.38, *count as f64)], pending_color.filled())))
        .map_err(chart_error)?
        .label("pending at the period's end (age then)")
        .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], pending_color.filled()));
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn short_amounts_read_as_people_write_them() {
        assert_eq!(super::short_amount(0.0), "0");
        assert_eq!(super::short_amount(1_250.0), "1.25K");
        assert_eq!(super::short_amount(3_400_000.0), "3.4M");
        assert_eq!(super::short_amount(-2_000_000_000.0), "-2B");
    }
}
