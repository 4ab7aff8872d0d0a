"""The model's operators, Liouvillian, orderings, argument checks, resources, errors and progress: what every solver builds on."""
