from django.shortcuts import render

from storefront import client

HOME_QUERY = """
query Home {
  cooperatives(first: 20) {
    totalCount
    edges {
      node {
        id name slug description
        members(first: 6) { totalCount edges { node { name slug village { name county } } } }
      }
    }
  }
}
"""


def home(request):
    result = client.execute(request, HOME_QUERY)
    cooperatives = [edge["node"] for edge in result.data["cooperatives"]["edges"]]
    return render(request, "storefront/home.html", {"cooperatives": cooperatives})
