// Mini-batches: every sample exactly once per epoch, the last short batch
// kept, rows matching their labels, and the order fixed by the seed.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <numeric>
#include <set>

#include "janus/data/batches.hpp"

using janus::data::batches;
using janus::data::labelled_set;

namespace {

// Ten samples of three features; sample i holds (i, 10 i, 100 i), label i % 4.
labelled_set ten_samples() {
  labelled_set set;
  set.feature_count = 3;
  set.sample_shape = {3};
  for (int i = 0; i < 10; ++i) {
    set.features.insert(set.features.end(), {float(i), float(10 * i), float(100 * i)});
    set.labels.push_back(i % 4);
  }
  return set;
}

}  // namespace

BOOST_AUTO_TEST_CASE(keeps_the_last_short_batch_in_order_before_shuffling) {
  const labelled_set set = ten_samples();
  batches<float> loader(set, 4, 1);
  BOOST_TEST(loader.size() == 3u);
  BOOST_TEST(loader[0].features.shape() == (janus::shape_type{4, 3}), boost::test_tools::per_element());
  const auto last = loader[2];
  BOOST_TEST(last.features.shape() == (janus::shape_type{2, 3}), boost::test_tools::per_element());
  BOOST_TEST(last.features.to_vector() == (std::vector<float>{8, 80, 800, 9, 90, 900}), boost::test_tools::per_element());
  BOOST_TEST(last.labels == (std::vector<std::int64_t>{0, 1}), boost::test_tools::per_element());
  BOOST_TEST(!last.features.requires_grad());
  BOOST_CHECK_THROW(loader[3], std::out_of_range);
}

BOOST_AUTO_TEST_CASE(a_shuffled_epoch_visits_every_sample_once_with_its_label) {
  const labelled_set set = ten_samples();
  batches<float> loader(set, 3, 7);
  loader.shuffle();
  std::multiset<int> seen;
  for (std::size_t b = 0; b < loader.size(); ++b) {
    const auto batch = loader[b];
    const std::vector<float> values = batch.features.to_vector();
    for (std::size_t r = 0; r < batch.labels.size(); ++r) {
      const int sample = static_cast<int>(values[3 * r]);
      seen.insert(sample);
      BOOST_TEST(values[3 * r + 2] == 100.0f * static_cast<float>(sample));
      BOOST_TEST(batch.labels[r] == sample % 4);
    }
  }
  std::multiset<int> all;
  for (int i = 0; i < 10; ++i) all.insert(i);
  BOOST_TEST(seen == all, boost::test_tools::per_element());
  std::vector<std::size_t> identity(10);
  std::iota(identity.begin(), identity.end(), 0u);
  BOOST_TEST(loader.order() != identity);
}

BOOST_AUTO_TEST_CASE(the_seed_fixes_the_order) {
  const labelled_set set = ten_samples();
  batches<float> first(set, 4, 42), second(set, 4, 42), other(set, 4, 43);
  for (int epoch = 0; epoch < 3; ++epoch) {
    first.shuffle();
    second.shuffle();
    other.shuffle();
    BOOST_TEST(first.order() == second.order(), boost::test_tools::per_element());
  }
  BOOST_TEST(first.order() != other.order());
  // The written-out shuffle over std::mt19937_64 gives this order everywhere.
  batches<float> fixed(set, 4, 42);
  fixed.shuffle();
  BOOST_TEST(fixed.order() == (std::vector<std::size_t>{1, 7, 9, 0, 3, 8, 4, 2, 5, 6}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(refuses_a_zero_batch_size) {
  const labelled_set set = ten_samples();
  BOOST_CHECK_THROW(batches<float>(set, 0, 1), std::invalid_argument);
}
