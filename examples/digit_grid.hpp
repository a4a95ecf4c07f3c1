// examples/digit_grid.hpp: digit_grid, the picture of test digits that
// mnist_mlp draws: which digits are shown, where each cell lies, and the
// grey level of every pixel, for images of whatever size the data set holds.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "janus/data/mnist.hpp"

namespace examples {

/// A grid of digits, each in a cell with room for its label underneath.
struct digit_grid {
  static constexpr std::size_t columns = 12, rows = 8, margin = 2, label_height = 12;
  /// A digit larger than this on either side is shrunk, so the picture
  /// stays about the size it has for MNIST's 28x28 whatever the images.
  static constexpr std::size_t largest_side = 56;
  /// Cells are at least this wide (MNIST's side), so that a label such as
  /// "7 (3)" fits under even a small digit.
  static constexpr std::size_t narrowest_digit = 28;

  std::size_t digit_rows = 0, digit_columns = 0;  // a digit's size on the picture
  std::size_t cell_width = 0, cell_height = 0;
  std::size_t width = 0, height = 0;  // the whole picture, in pixels
  std::vector<std::size_t> shown;     // indices into the test set, cell by cell
  std::vector<float> pixels;          // width x height grey levels in [0, 1], row by row

  std::size_t cell_left(std::size_t k) const { return (k % columns) * cell_width; }
  std::size_t cell_top(std::size_t k) const { return (k / columns) * cell_height; }
  /// Where cell k's digit starts: centred across the cell, at its top.
  std::size_t digit_left(std::size_t k) const { return cell_left(k) + (cell_width - digit_columns) / 2; }
  std::size_t digit_top(std::size_t k) const { return cell_top(k) + margin; }
  /// Where the centre of cell k's label goes, under its digit.
  double label_x(std::size_t k) const {
    return static_cast<double>(cell_left(k)) + static_cast<double>(cell_width) / 2;
  }
  double label_y(std::size_t k) const { return static_cast<double>(digit_top(k) + digit_rows + label_height / 2 + 1); }
};

/// The first two thirds of the cells show the test set in order, the rest
/// the first mistakes, so that both what the model gets right and what it
/// gets wrong are on the picture. `mean` and `stddev` undo the inputs'
/// standardisation.
inline digit_grid make_digit_grid(const janus::data::labelled_set& test, const std::vector<std::int64_t>& predictions,
                                  float mean, float stddev) {
  digit_grid grid;
  for (std::size_t i = 0; i < test.size() && grid.shown.size() < grid.columns * grid.rows * 2 / 3; ++i)
    grid.shown.push_back(i);
  for (std::size_t i = grid.shown.size(); i < test.size() && grid.shown.size() < grid.columns * grid.rows; ++i)
    if (predictions[i] != test.labels[i]) grid.shown.push_back(i);

  const bool image = test.sample_shape.size() == 2;
  const std::size_t image_rows = image ? test.sample_shape[0] : 1;
  const std::size_t image_columns = image ? test.sample_shape[1] : test.feature_count;
  const std::size_t step =
      std::max({std::size_t{1}, (image_rows + digit_grid::largest_side - 1) / digit_grid::largest_side,
                (image_columns + digit_grid::largest_side - 1) / digit_grid::largest_side});
  grid.digit_rows = (image_rows + step - 1) / step;
  grid.digit_columns = (image_columns + step - 1) / step;
  grid.cell_width = std::max(grid.digit_columns, digit_grid::narrowest_digit) + 2 * digit_grid::margin;
  grid.cell_height = grid.digit_rows + 2 * digit_grid::margin + digit_grid::label_height;
  grid.width = grid.columns * grid.cell_width;
  grid.height = grid.rows * grid.cell_height;
  grid.pixels.assign(grid.width * grid.height, 0.0f);
  for (std::size_t k = 0; k < grid.shown.size(); ++k) {
    const float* image_pixels = test.features.data() + grid.shown[k] * test.feature_count;
    for (std::size_t y = 0; y < grid.digit_rows; ++y)
      for (std::size_t x = 0; x < grid.digit_columns; ++x)
        grid.pixels[(grid.digit_top(k) + y) * grid.width + grid.digit_left(k) + x] =
            image_pixels[y * step * image_columns + x * step] * stddev + mean;
  }
  return grid;
}

}  // namespace examples
