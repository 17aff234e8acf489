"""Questions about a plan or a proposal: what fails first, the value of money, why no plan exists, the comparison."""
