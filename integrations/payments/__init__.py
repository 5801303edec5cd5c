"""Payment gateways: implementations of marketplace.payments.gateways.PaymentGateway."""
