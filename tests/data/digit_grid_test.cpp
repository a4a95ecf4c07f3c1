// The picture of test digits mnist_mlp draws (examples/digit_grid.hpp): each
// digit's pixels land in its cell for images of any size the data set holds,
// and large images are shrunk to fit a cell instead of read past their end.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <vector>

#include "../../examples/digit_grid.hpp"

using examples::digit_grid;
using examples::make_digit_grid;
using janus::data::labelled_set;

namespace {

// `count` images of rows x columns; pixel (y, x) of image i is a value
// that differs between neighbours and between images, in [0, 1].
labelled_set images(std::size_t count, std::size_t rows, std::size_t columns) {
  labelled_set set;
  set.feature_count = rows * columns;
  set.sample_shape = {rows, columns};
  for (std::size_t i = 0; i < count; ++i) {
    for (std::size_t p = 0; p < rows * columns; ++p)
      set.features.push_back(static_cast<float>((i * 37 + p) % 256) / 255.0f);
    set.labels.push_back(static_cast<std::int64_t>(i % 10));
  }
  return set;
}

// The grey level the picture shows at pixel (y, x) of cell k's digit.
float shown_pixel(const digit_grid& grid, std::size_t k, std::size_t y, std::size_t x) {
  return grid.pixels[(grid.digit_top(k) + y) * grid.width + grid.digit_left(k) + x];
}

}  // namespace

BOOST_AUTO_TEST_CASE(draws_images_of_the_size_the_set_holds) {
  const labelled_set test = images(5, 10, 10);
  const std::vector<std::int64_t> predictions = {0, 1, 2, 7, 4};
  const digit_grid grid = make_digit_grid(test, predictions, 0.0f, 1.0f);
  BOOST_TEST(grid.shown == (std::vector<std::size_t>{0, 1, 2, 3, 4}), boost::test_tools::per_element());
  BOOST_TEST(grid.digit_rows == 10u);
  BOOST_TEST(grid.digit_columns == 10u);
  BOOST_TEST(grid.pixels.size() == grid.width * grid.height);
  for (std::size_t k = 0; k < grid.shown.size(); ++k)
    for (std::size_t y = 0; y < 10; ++y)
      for (std::size_t x = 0; x < 10; ++x)
        BOOST_TEST(shown_pixel(grid, k, y, x) == test.features[k * 100 + y * 10 + x],
                   "cell " << k << " pixel " << y << "," << x);
  // Nothing beyond the digit: the blank below and beside it stays blank.
  BOOST_TEST(shown_pixel(grid, 0, 10, 0) == 0.0f);
  BOOST_TEST(shown_pixel(grid, 0, 0, 10) == 0.0f);
}

BOOST_AUTO_TEST_CASE(undoes_the_standardisation) {
  labelled_set test = images(2, 3, 4);
  for (float& p : test.features) p = (p - 0.25f) / 2.0f;
  const digit_grid grid = make_digit_grid(test, {0, 1}, 0.25f, 2.0f);
  BOOST_TEST(shown_pixel(grid, 1, 2, 3) == static_cast<float>((37 + 11) % 256) / 255.0f,
             boost::test_tools::tolerance(1e-6f));
}

BOOST_AUTO_TEST_CASE(shrinks_large_images_to_a_cell) {
  const labelled_set test = images(3, 200, 100);
  const digit_grid grid = make_digit_grid(test, {0, 1, 2}, 0.0f, 1.0f);
  // Every 4th pixel of every 4th row: 50 x 25 on the picture.
  BOOST_TEST(grid.digit_rows == 50u);
  BOOST_TEST(grid.digit_columns == 25u);
  BOOST_TEST(shown_pixel(grid, 2, 49, 24) == test.features[2 * 20000 + 196 * 100 + 96]);
  BOOST_TEST(shown_pixel(grid, 1, 1, 1) == test.features[1 * 20000 + 4 * 100 + 4]);
}

BOOST_AUTO_TEST_CASE(shows_the_first_digits_then_the_first_mistakes) {
  const labelled_set test = images(200, 28, 28);
  std::vector<std::int64_t> predictions(test.labels);
  for (std::size_t i : {3u, 70u, 71u, 150u}) predictions[i] = (test.labels[i] + 1) % 10;
  const digit_grid grid = make_digit_grid(test, predictions, 0.0f, 1.0f);
  BOOST_TEST(grid.shown.size() == 64u + 3u);
  BOOST_TEST(grid.shown[63] == 63u);
  BOOST_TEST(grid.shown[64] == 70u);
  BOOST_TEST(grid.shown[66] == 150u);
}
