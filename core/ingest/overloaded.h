#pragma once

namespace Tasktrail {

// The visitor of a std::variant made of one lambda per alternative.
template<class... Ts> struct Overloaded : Ts...
{
    using Ts::operator()...;
};
// Clang before 17 does not deduce an aggregate's template arguments by itself.
template<class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

} // namespace Tasktrail
