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
    data = client.query(request, HOME_QUERY)
    cooperatives = [edge["node"] for edge in data["cooperatives"]["edges"]]
    return render(request, "storefront/shop/home.html", {"cooperatives": cooperatives})
